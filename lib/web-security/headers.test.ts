import { describe, expect, it } from "vitest";
import { newNonce, pagePolicy, servedOverHttps } from "./headers";

describe("pagePolicy", () => {
  it("allows scripts only with the nonce in production, without eval, and forbids framing", () => {
    const p = pagePolicy({ nonce: "abc", dev: false, https: false });
    expect(p).toContain("script-src 'self' 'nonce-abc' 'strict-dynamic'");
    expect(p).not.toContain("unsafe-eval");
    expect(p).toContain("frame-ancestors 'none'");
    expect(p).toContain("object-src 'none'");
    expect(p).toMatch(/style-src 'self' 'nonce-abc'(;|$)/);
    expect(p).not.toContain("upgrade-insecure-requests");
    expect(p).toContain("report-uri /api/csp-report");
    // The cluster tab's early stream is read in a worker made from a blob; no other origin may start one.
    expect(p).toContain("worker-src 'self' blob:;");
  });

  it("allows eval only in development, and upgrades sub-resources only over HTTPS", () => {
    expect(pagePolicy({ nonce: "n", dev: true, https: false })).toContain("'unsafe-eval'");
    expect(pagePolicy({ nonce: "n", dev: false, https: true })).toContain("upgrade-insecure-requests");
  });
});

describe("newNonce", () => {
  it("is 128 random bits in base64, new each time", () => {
    const a = newNonce();
    expect(a).toMatch(/^[A-Za-z0-9+/]{22}==$/);
    expect(newNonce()).not.toBe(a);
  });
});

describe("servedOverHttps", () => {
  it("believes a TLS-terminating proxy, else the URL", () => {
    expect(servedOverHttps(new URL("http://x/"), new Headers({ "x-forwarded-proto": "https" }))).toBe(true);
    expect(servedOverHttps(new URL("https://x/"), new Headers({ "x-forwarded-proto": "http" }))).toBe(false);
    expect(servedOverHttps(new URL("https://x/"), new Headers())).toBe(true);
    expect(servedOverHttps(new URL("http://x/"), new Headers())).toBe(false);
  });
});
