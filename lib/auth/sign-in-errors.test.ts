import { describe, expect, it } from "vitest";
import { ACCOUNT_BLOCKED, lockedErrorCode, SIGN_IN_BUSY, signInErrorMessage } from "./sign-in-errors";

describe("signInErrorMessage", () => {
  const now = new Date("2026-11-30T10:00:00Z");

  it("says the same for an unknown e-mail and a wrong password", () => {
    expect(signInErrorMessage("CredentialsSignin", now)).toBe("Invalid e-mail or password.");
  });

  it("says when a locked sign-in may be tried again", () => {
    expect(signInErrorMessage(lockedErrorCode(new Date("2026-11-30T10:02:00Z")), now, "UTC")).toBe(
      "Too many failed sign-in attempts. Try again in 2 minutes (at 10:02:00).",
    );
    expect(signInErrorMessage(lockedErrorCode(new Date("2026-11-30T10:00:45Z")), now, "UTC")).toBe(
      "Too many failed sign-in attempts. Try again in 45 seconds (at 10:00:45).",
    );
    expect(signInErrorMessage(lockedErrorCode(new Date("2026-11-30T10:00:01Z")), now, "UTC")).toMatch(/in 1 second \(/);
  });

  it("tells a blocked account's owner to ask an administrator", () => {
    expect(signInErrorMessage(ACCOUNT_BLOCKED, now)).toBe(
      "This account is blocked. Ask an administrator of this installation.",
    );
  });

  it("asks to wait a moment when the server is busy, and falls back to a generic sentence", () => {
    expect(signInErrorMessage(SIGN_IN_BUSY, now)).toMatch(/few seconds/);
    expect(signInErrorMessage("OAuthCallback", now)).toBe("Sign-in failed. Try again.");
    expect(signInErrorMessage("SignInLocked:abc", now)).toBe("Sign-in failed. Try again.");
  });
});
