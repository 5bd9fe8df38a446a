import { describe, expect, it } from "vitest";
import { crossOriginRefusal, hasSessionCookie, webSocketOriginRefusal } from "./same-origin";

const cookie = "theme=dark; next-auth.session-token=abc";
const req = (method: string, h: Record<string, string>) => ({
  method,
  headers: new Headers({ host: "tether.example:3000", ...h }),
});

describe("hasSessionCookie", () => {
  it.each([
    "next-auth.session-token=x",
    "a=b; __Secure-next-auth.session-token=x",
    "__Secure-next-auth.session-token.0=x; __Secure-next-auth.session-token.1=y",
  ])("finds it in %s", (c) => {
    expect(hasSessionCookie(c)).toBe(true);
  });
  it.each(["", "next-auth.csrf-token=x", "my-next-auth.session-token=x", "x=next-auth.session-token"])(
    "does not find it in %j",
    (c) => {
      expect(hasSessionCookie(c)).toBe(false);
    },
  );
});

describe("crossOriginRefusal", () => {
  it("refuses a cookie POST from another site by fetch metadata", () => {
    expect(
      crossOriginRefusal(req("POST", { cookie, "sec-fetch-site": "cross-site", origin: "https://evil.example" })),
    ).toMatch(/Cross-origin request refused/);
    expect(crossOriginRefusal(req("DELETE", { cookie, "sec-fetch-site": "same-site" }))).toMatch(/same-site/);
  });

  it("allows a cookie POST from our own pages", () => {
    expect(
      crossOriginRefusal(
        req("POST", { cookie, "sec-fetch-site": "same-origin", origin: "http://tether.example:3000" }),
      ),
    ).toBeNull();
  });

  it("falls back to Origin when the browser sends no fetch metadata", () => {
    expect(crossOriginRefusal(req("PUT", { cookie, origin: "http://tether.example:3000" }))).toBeNull();
    expect(crossOriginRefusal(req("PATCH", { cookie, origin: "http://evil.example" }))).toMatch(
      /Origin: http:\/\/evil.example/,
    );
    expect(crossOriginRefusal(req("POST", { cookie, origin: "null" }))).toMatch(/refused/);
  });

  it("accepts the configured public origin behind a proxy that rewrites Host", () => {
    const r = {
      ...req("POST", { cookie, origin: "https://tether.example.org" }),
      extraOrigins: ["https://tether.example.org/"],
    };
    expect(crossOriginRefusal(r)).toBeNull();
  });

  it("leaves safe methods, bearer-token clients without the cookie, and clients that are not browsers alone", () => {
    expect(crossOriginRefusal(req("GET", { cookie, "sec-fetch-site": "cross-site" }))).toBeNull();
    expect(crossOriginRefusal(req("POST", { authorization: "Bearer t", origin: "https://evil.example" }))).toBeNull();
    expect(crossOriginRefusal(req("POST", { cookie }))).toBeNull();
  });
});

describe("webSocketOriginRefusal", () => {
  const host = { host: "tether.example:3000" };
  it("lets a handshake from our own pages through, by Host or by the configured address", () => {
    expect(webSocketOriginRefusal({ ...host, origin: "http://tether.example:3000" })).toBeNull();
    expect(webSocketOriginRefusal({ ...host, origin: "https://tether.example:3000" })).toBeNull();
    expect(
      webSocketOriginRefusal({ host: "10.0.0.5:3000", origin: "https://tether.example" }, ["https://tether.example/"]),
    ).toBeNull();
  });
  it("refuses another site's page, and a handshake without Origin", () => {
    expect(webSocketOriginRefusal({ ...host, origin: "https://evil.example" })).toMatch(
      /Cross-origin WebSocket refused \(Origin: https:\/\/evil\.example\)/,
    );
    expect(webSocketOriginRefusal({ ...host, origin: "http://tether.example:3001" })).toMatch(/Cross-origin/);
    expect(webSocketOriginRefusal(host)).toMatch(/no Origin header/);
    expect(webSocketOriginRefusal({ ...host, origin: "null" })).toMatch(/Cross-origin/);
  });
});
