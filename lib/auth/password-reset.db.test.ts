// Password reset by e-mail against the real databases and a real SMTP server on loopback (smtp-server,
// with a user name and password): the mail is read back (mailparser) and its link followed.
import type { AddressInfo } from "node:net";
import { simpleParser, type ParsedMail } from "mailparser";
import { SMTPServer } from "smtp-server";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { createDb, type Db } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { freshDatabase, type TestDatabase } from "@/lib/db/test-databases";
import { Invalid } from "@/lib/errors";
import { smtpConfig, smtpMailer } from "./mail";
import {
  completePasswordReset,
  requestPasswordReset,
  RESET_LINK_INVALID,
  RESET_REQUEST_LIMITS,
  resetLimits,
  type ResetRequestOptions,
} from "./password-reset";
import { signInWithPassword } from "./sign-in";
import { SignInThrottle } from "./sign-in-throttle";
import { signUp } from "./users";

const PUBLIC_URL = "https://tether.example.com";

describe("SMTP settings", () => {
  it("are optional, and a bad URL or sender is named", () => {
    expect(smtpConfig({}, PUBLIC_URL)).toBeNull();
    expect(smtpConfig({ TETHER_SMTP_URL: "smtps://u:p@mail.example.com" }, PUBLIC_URL)).toEqual({
      url: "smtps://u:p@mail.example.com",
      from: "Tether <tether@tether.example.com>",
    });
    expect(() => smtpConfig({ TETHER_SMTP_URL: "http://mail.example.com" }, PUBLIC_URL)).toThrow(
      "TETHER_SMTP_URL: expected an smtp:// or smtps:// URL",
    );
    expect(() => smtpConfig({ TETHER_SMTP_URL: "smtp://m", TETHER_SMTP_FROM: "nobody" }, PUBLIC_URL)).toThrow(
      /^TETHER_SMTP_FROM: expected an e-mail address/,
    );
  });
});

describe.each(["sqlite", "postgresql"] as const)("password reset by e-mail on %s", (provider) => {
  let tdb: TestDatabase;
  let db: Db;
  let smtp: SMTPServer;
  let smtpUrl: string;
  const inbox: ParsedMail[] = [];
  const password = "correct horse battery";

  beforeAll(async () => {
    tdb = await freshDatabase(provider);
    await migrate(tdb.target);
    db = createDb(tdb.target);
    smtp = new SMTPServer({
      disabledCommands: ["STARTTLS"],
      allowInsecureAuth: true,
      onAuth(auth, _session, cb) {
        if (auth.username === "tether" && auth.password === "mail pass/1") cb(null, { user: "tether" });
        else cb(new Error("bad credentials"));
      },
      onData(stream, _session, cb) {
        simpleParser(stream).then(
          (mail) => {
            inbox.push(mail);
            cb();
          },
          (e: Error) => cb(e),
        );
      },
    });
    await new Promise<void>((resolve) => smtp.listen(0, "127.0.0.1", resolve));
    const port = (smtp.server.address() as AddressInfo).port;
    smtpUrl = `smtp://tether:${encodeURIComponent("mail pass/1")}@127.0.0.1:${port}`;
  });

  afterAll(async () => {
    await new Promise<void>((resolve) => (smtp ? smtp.close(() => resolve()) : resolve()));
    await db?.$disconnect();
    await tdb?.drop();
  });

  function options(ip = "192.0.2.1", url = smtpUrl): ResetRequestOptions {
    const config = smtpConfig({ TETHER_SMTP_URL: url }, PUBLIC_URL)!;
    return { mailer: smtpMailer(config), limits: resetLimits(db), publicUrl: PUBLIC_URL, ip };
  }

  async function user(name: string): Promise<{ id: string; email: string }> {
    const r = await signUp(db, { name, username: name, email: `${name}@example.com`, password });
    if (!r.ok) throw new Error(r.error);
    return { id: r.user.id, email: r.user.email };
  }

  /** Asks for a link, waits for the mail, and returns the token from its link. */
  async function mailedToken(email: string, ip?: string): Promise<string> {
    const before = inbox.length;
    const { delivery } = await requestPasswordReset(db, { email }, options(ip));
    await delivery;
    expect(inbox.length).toBe(before + 1);
    const mail = inbox.at(-1)!;
    const link = /https:\/\/tether\.example\.com\/reset-password\?token=(\S+)/.exec(mail.text ?? "");
    expect(link).not.toBeNull();
    return link![1]!;
  }

  const signIn = (email: string, pw: string) =>
    signInWithPassword(db, new SignInThrottle(db), { email, password: pw, address: "198.51.100.1" });

  it("a known e-mail gets one mail whose link sets a new password once, ends every session, voids the other links, audited", async () => {
    const ada = await user("ada");
    const older = await mailedToken(ada.email);
    const token = await mailedToken(` ${ada.email.toUpperCase()} `);
    const mail = inbox.at(-1)!;
    expect(mail.to).toMatchObject({ text: ada.email });
    expect(mail.from?.value).toEqual([{ name: "Tether", address: "tether@tether.example.com" }]);
    expect(mail.subject).toBe("Set a new Tether password");
    expect(mail.text).toContain("It works once");
    // Only the token's hash is stored.
    const rows = await db.passwordReset.findMany({ where: { userId: ada.id } });
    expect(rows).toHaveLength(2);
    expect(JSON.stringify(rows)).not.toContain(token);
    const version = (await db.user.findUniqueOrThrow({ where: { id: ada.id } })).sessionVersion;

    await completePasswordReset(db, { token, newPassword: "a fresh password 2" }, "192.0.2.7");
    expect(await signIn(ada.email, "a fresh password 2")).toMatchObject({ ok: true });
    expect(await signIn(ada.email, password)).toEqual({ ok: false, reason: "invalid" });
    expect((await db.user.findUniqueOrThrow({ where: { id: ada.id } })).sessionVersion).toBe(version + 1);
    expect(await db.auditEvent.findFirst({ where: { action: "user.password_reset", targetId: ada.id } })).toMatchObject(
      { actorId: ada.id, ip: "192.0.2.7" },
    );
    expect(await db.auditEvent.count({ where: { action: "user.password_reset_requested", targetId: ada.id } })).toBe(2);

    // Used once; the older link died with it.
    for (const t of [token, older])
      await expect(completePasswordReset(db, { token: t, newPassword: "yet another one 3" })).rejects.toThrow(
        new Invalid(RESET_LINK_INVALID, "token"),
      );
    expect(await signIn(ada.email, "a fresh password 2")).toMatchObject({ ok: true });
  });

  it("an unknown e-mail, a single sign-on account and a blocked one get the same answer and no mail", async () => {
    await db.user.create({ data: { email: "sso@example.com", username: "sso", name: "Sso" } });
    const blocked = await user("blocked");
    await db.user.update({ where: { id: blocked.id }, data: { blockedAt: new Date() } });
    const before = inbox.length;
    for (const email of ["nobody@example.com", "sso@example.com", blocked.email]) {
      const { delivery } = await requestPasswordReset(db, { email }, options("192.0.2.2"));
      await delivery;
    }
    expect(inbox.length).toBe(before);
    await expect(requestPasswordReset(db, { email: "not an e-mail" }, options())).rejects.toThrow(
      new Invalid("Enter the e-mail address of your account", "email"),
    );
  });

  it("an expired, a mistyped and a made-up link are refused alike and change nothing; a short password is named", async () => {
    const bob = await user("bob");
    const token = await mailedToken(bob.email, "192.0.2.3");
    await expect(completePasswordReset(db, { token, newPassword: "short" })).rejects.toThrow(
      new Invalid("Password must be at least 8 characters", "newPassword"),
    );
    for (const t of [token.slice(0, -1), `tthr_reset_${"x".repeat(43)}`, "whatever"])
      await expect(completePasswordReset(db, { token: t, newPassword: "long enough 1" })).rejects.toThrow(
        new Invalid(RESET_LINK_INVALID, "token"),
      );
    vi.useFakeTimers({ toFake: ["Date"], now: Date.now() + 61 * 60_000 });
    try {
      await expect(completePasswordReset(db, { token, newPassword: "long enough 1" })).rejects.toThrow(
        new Invalid(RESET_LINK_INVALID, "token"),
      );
    } finally {
      vi.useRealTimers();
    }
    expect(await signIn(bob.email, password)).toMatchObject({ ok: true });
  });

  it("asking is limited per account and per address, in the store every replica shares; beyond, the same answer and no mail", async () => {
    const carol = await user("carol");
    for (let i = 0; i < RESET_REQUEST_LIMITS.account; i++) await mailedToken(carol.email, `192.0.2.${10 + i}`);
    const before = inbox.length;
    // Another replica (its own limiters on the same database) counts the same requests.
    const replica = { ...options("192.0.2.30"), limits: resetLimits(db) };
    await (
      await requestPasswordReset(db, { email: carol.email }, replica)
    ).delivery;
    expect(inbox.length).toBe(before);

    // One address asking for many accounts.
    const many = await Promise.all(
      Array.from({ length: RESET_REQUEST_LIMITS.address + 1 }, (_, i) => user(`spray${i}`)),
    );
    for (const u of many) await (await requestPasswordReset(db, { email: u.email }, options("203.0.113.5"))).delivery;
    expect(inbox.length).toBe(before + RESET_REQUEST_LIMITS.address);
  });

  it("with the SMTP server unreachable the answer is the same and the failure is logged, not thrown", async () => {
    const dave = await user("dave");
    const closed = smtpUrl.replace(/:\d+$/, ":1");
    const before = inbox.length;
    const { delivery } = await requestPasswordReset(db, { email: dave.email }, options("192.0.2.40", closed));
    await expect(delivery).resolves.toBeUndefined();
    expect(inbox.length).toBe(before);
  });
});
