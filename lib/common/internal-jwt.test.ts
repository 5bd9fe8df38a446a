import { describe, expect, it, vi } from "vitest";
import { SignJWT, UnsecuredJWT } from "jose";
import { internalJwt, signInternalJwt, verifyInternalJwt } from "./internal-jwt";

const secret = "s".repeat(40);

describe("internal JWTs", () => {
  it("accept a fresh token in the right direction", async () => {
    await expect(
      verifyInternalJwt(secret, await signInternalJwt(secret, "tether-kas", "tether-web"), "tether-kas", "tether-web"),
    ).resolves.toBeUndefined();
  });
  it("refuse the wrong secret, the wrong direction and an expired token", async () => {
    const jwt = await signInternalJwt(secret, "tether-kas", "tether-web");
    await expect(verifyInternalJwt("t".repeat(40), jwt, "tether-kas", "tether-web")).rejects.toThrow(/rejected/);
    await expect(verifyInternalJwt(secret, jwt, "tether-web", "tether-kas")).rejects.toThrow(/rejected/);
    const old = await new SignJWT({})
      .setProtectedHeader({ alg: "HS256" })
      .setIssuer("tether-kas")
      .setAudience("tether-web")
      .setIssuedAt(Math.floor(Date.now() / 1000) - 600)
      .setExpirationTime(Math.floor(Date.now() / 1000) - 300)
      .sign(new TextEncoder().encode(secret));
    await expect(verifyInternalJwt(secret, old, "tether-kas", "tether-web")).rejects.toThrow(/expired/);
  });
  it("refuse an unsigned token (alg none) that names the right issuer and audience", async () => {
    const unsigned = new UnsecuredJWT({})
      .setIssuer("tether-kas")
      .setAudience("tether-web")
      .setIssuedAt()
      .setExpirationTime("60s")
      .encode();
    expect(unsigned.split(".")[2]).toBe("");
    await expect(verifyInternalJwt(secret, unsigned, "tether-kas", "tether-web")).rejects.toThrow(/rejected/);
  });
  it("refuse a long-lived token even if its expiry is far away (issued-at check)", async () => {
    const long = await new SignJWT({})
      .setProtectedHeader({ alg: "HS256" })
      .setIssuer("tether-kas")
      .setAudience("tether-web")
      .setIssuedAt(Math.floor(Date.now() / 1000) - 3600)
      .setExpirationTime("1d")
      .sign(new TextEncoder().encode(secret));
    await expect(verifyInternalJwt(secret, long, "tether-kas", "tether-web")).rejects.toThrow();
  });
  it("a caller's reused token is the same for 30 s, then a new one; a token once accepted still expires", async () => {
    vi.useFakeTimers({ toFake: ["Date"] });
    try {
      const first = await internalJwt(secret, "tether-kas", "tether-web");
      vi.setSystemTime(Date.now() + 29_000);
      expect(await internalJwt(secret, "tether-kas", "tether-web")).toBe(first);
      expect(await internalJwt(secret, "tether-web", "tether-kas")).not.toBe(first);
      await expect(verifyInternalJwt(secret, first, "tether-kas", "tether-web")).resolves.toBeUndefined();
      // Accepted before, refused now under another secret or direction.
      await expect(verifyInternalJwt("t".repeat(40), first, "tether-kas", "tether-web")).rejects.toThrow(/rejected/);
      await expect(verifyInternalJwt(secret, first, "tether-web", "tether-kas")).rejects.toThrow(/rejected/);
      vi.setSystemTime(Date.now() + 2_000);
      const second = await internalJwt(secret, "tether-kas", "tether-web");
      expect(second).not.toBe(first);
      // 71 s after it was signed (past its expiry and the 10 s skew allowance), the first token is
      // refused although it was accepted before.
      vi.setSystemTime(Date.now() + 40_000);
      await expect(verifyInternalJwt(secret, first, "tether-kas", "tether-web")).rejects.toThrow(/expired|rejected/);
      await expect(verifyInternalJwt(secret, second, "tether-kas", "tether-web")).resolves.toBeUndefined();
    } finally {
      vi.useRealTimers();
    }
  });
});
