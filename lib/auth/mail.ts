// Sending e-mail (password reset links) through the SMTP server in TETHER_SMTP_URL, with nodemailer:
// smtp://host:587 (STARTTLS when the server offers it) or smtps://host:465, with user:password@ when it
// asks for them; TETHER_SMTP_FROM is the sender (default: tether@ the public web address's host).
import nodemailer from "nodemailer";
import { z } from "zod";
import type { Mailer } from "./password-reset";

export interface SmtpConfig {
  url: string;
  from: string;
}

const smtpUrl = z.url({ protocol: /^smtps?$/, error: "expected an smtp:// or smtps:// URL" });
const sender = z
  .string()
  .trim()
  .min(3)
  .max(254)
  .regex(/@/, "expected an e-mail address, e.g. Tether <tether@example.com>");

/** The SMTP settings, null when TETHER_SMTP_URL is unset; a clear error naming the setting when one is bad. */
export function smtpConfig(env: Readonly<Record<string, string | undefined>>, publicUrl: string): SmtpConfig | null {
  const raw = env.TETHER_SMTP_URL?.trim();
  if (!raw) return null;
  const url = smtpUrl.safeParse(raw);
  if (!url.success) throw new Error(`TETHER_SMTP_URL: ${url.error.issues[0]?.message ?? "invalid"}`);
  const fromRaw = env.TETHER_SMTP_FROM?.trim() || `Tether <tether@${new URL(publicUrl).hostname}>`;
  const from = sender.safeParse(fromRaw);
  if (!from.success) throw new Error(`TETHER_SMTP_FROM: ${from.error.issues[0]?.message ?? "invalid"}`);
  return { url: url.data, from: from.data };
}

/** A description safe to log: never the password. */
export function describeSmtp(c: SmtpConfig): string {
  const u = new URL(c.url);
  return `${u.protocol}//${u.hostname}:${u.port || (u.protocol === "smtps:" ? "465" : "587")}`;
}

const transports = new Map<string, Mailer>();

/** A Mailer for these settings (one connection setup per settings; 10 s to connect and greet, 30 s per mail). */
export function smtpMailer(c: SmtpConfig): Mailer {
  const key = `${c.url} ${c.from}`;
  let mailer = transports.get(key);
  if (!mailer) {
    const u = new URL(c.url);
    const secure = u.protocol === "smtps:";
    const transport = nodemailer.createTransport({
      host: u.hostname,
      port: Number(u.port) || (secure ? 465 : 587),
      secure,
      auth: u.username ? { user: decodeURIComponent(u.username), pass: decodeURIComponent(u.password) } : undefined,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    });
    mailer = async (m) => {
      await transport.sendMail({ from: c.from, to: m.to, subject: m.subject, text: m.text });
    };
    transports.set(key, mailer);
  }
  return mailer;
}
