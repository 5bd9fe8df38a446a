// A forge's webhook delivery, read without trusting it: which forge sent it, whether it proves the
// project's secret (GitLab's X-Gitlab-Token, GitHub's and Gitea/Forgejo's X-Hub-Signature-256 HMAC,
// compared in constant time), its delivery id, and the push it reports (zod, errors naming the field).
// Pure: no database, no network.
import { createHash, createHmac, timingSafeEqual } from "node:crypto";
import { z } from "zod";
import { repositoryKey } from "@/lib/common/git-url";

export type Forge = "gitlab" | "github" | "gitea";

export type SignatureCheck = { ok: true; forge: Forge } | { ok: false; forge: Forge | null; reason: string };

/** Largest delivery accepted (GitHub caps payloads at 25 MB, but a push we act on is far smaller). */
export const MAX_DELIVERY_BYTES = 1024 * 1024;

function forgeOf(h: Headers): Forge | null {
  if (h.has("x-gitlab-event") || h.has("x-gitlab-token")) return "gitlab";
  if (h.has("x-gitea-event") || h.has("x-forgejo-event") || h.has("x-gitea-signature") || h.has("x-forgejo-signature"))
    return "gitea";
  if (h.has("x-github-event") || h.has("x-hub-signature-256")) return "github";
  return null;
}

/** Equal strings, in time that depends on neither (both are hashed to one length first). */
function constantTimeEqual(a: string, b: string): boolean {
  const ha = createHash("sha256").update(a).digest();
  const hb = createHash("sha256").update(b).digest();
  return timingSafeEqual(ha, hb);
}

/** Does the delivery carry proof of `secret`? GitLab sends the secret itself; GitHub and Gitea an HMAC-SHA256 of the body. */
export function checkSignature(headers: Headers, body: Buffer, secret: string): SignatureCheck {
  const forge = forgeOf(headers);
  const token = headers.get("x-gitlab-token");
  if (token !== null) {
    return constantTimeEqual(token, secret)
      ? { ok: true, forge: "gitlab" }
      : { ok: false, forge: "gitlab", reason: "X-Gitlab-Token does not match the webhook's secret" };
  }
  const hub = headers.get("x-hub-signature-256");
  const bare = headers.get("x-gitea-signature") ?? headers.get("x-forgejo-signature");
  const given = hub !== null ? /^sha256=([0-9a-f]{64})$/i.exec(hub.trim())?.[1] : bare?.trim();
  if (hub === null && bare === null)
    return {
      ok: false,
      forge,
      reason: "no signature: send X-Gitlab-Token (GitLab) or X-Hub-Signature-256 (GitHub, Gitea, Forgejo)",
    };
  if (!given || !/^[0-9a-f]{64}$/i.test(given))
    return { ok: false, forge, reason: "the signature header is malformed (expected sha256=<64 hex digits>)" };
  const want = createHmac("sha256", secret).update(body).digest("hex");
  return constantTimeEqual(given.toLowerCase(), want)
    ? { ok: true, forge: forge ?? "github" }
    : { ok: false, forge, reason: "the HMAC signature does not match the body and the webhook's secret" };
}

/** The forge's id of this delivery (a redelivery keeps it); without one, the body's SHA-256 stands in. */
export function deliveryIdOf(headers: Headers, body: Buffer): string {
  const id =
    headers.get("x-gitlab-event-uuid") ??
    headers.get("x-github-delivery") ??
    headers.get("x-gitea-delivery") ??
    headers.get("x-forgejo-delivery");
  if (id && /^[\w.:-]{1,200}$/.test(id)) return id;
  return `sha256:${createHash("sha256").update(body).digest("hex")}`;
}

/** "push", "ping" or something else we ignore. */
export function eventKind(headers: Headers): "push" | "ping" | "other" {
  const e = (
    headers.get("x-gitlab-event") ??
    headers.get("x-github-event") ??
    headers.get("x-gitea-event") ??
    headers.get("x-forgejo-event") ??
    "push"
  ).toLowerCase();
  if (e === "push" || e === "push hook" || e === "tag push hook") return "push";
  if (e === "ping") return "ping";
  return "other";
}

const URL_FIELDS = ["git_http_url", "git_ssh_url", "clone_url", "ssh_url", "git_url", "url", "html_url", "web_url"];

const urlHolder = z.record(z.string(), z.unknown()).optional();

const pushSchema = z.object({
  ref: z
    .string({ error: "ref is missing (expected refs/heads/<branch> or refs/tags/<tag>)" })
    .max(1000, "ref is too long")
    .regex(/^refs\/\S+$/, "ref must start with refs/ (refs/heads/<branch> or refs/tags/<tag>)"),
  after: z
    .string({ error: "after is missing (the commit the ref points to after the push)" })
    .regex(/^[0-9a-f]{40}([0-9a-f]{24})?$/i, "after must be a commit id (40 or 64 hex digits)"),
  repository: z.record(z.string(), z.unknown(), { error: "repository is missing (the pushed repository)" }),
  project: urlHolder,
});

export interface ParsedPush {
  ref: string;
  after: string;
  /** The clone URLs the forge named, each a form repositoryKey understands. */
  repositoryUrls: string[];
  /** The push deleted the ref (after is all zeros). */
  deleted: boolean;
}

export class PayloadError extends Error {
  constructor(
    message: string,
    readonly field: string,
  ) {
    super(message);
  }
}

/** The push a payload reports; PayloadError names the field that is wrong. */
export function parsePush(body: Buffer, contentType: string | null): ParsedPush {
  let json: unknown;
  try {
    const text = body.toString("utf8");
    // GitHub's "application/x-www-form-urlencoded" content type carries the JSON in a `payload` field.
    const form = contentType?.toLowerCase().startsWith("application/x-www-form-urlencoded");
    json = JSON.parse(form ? (new URLSearchParams(text).get("payload") ?? "") : text);
  } catch {
    throw new PayloadError("the body is not JSON", "body");
  }
  const parsed = pushSchema.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    const field = issue.path.join(".") || "body";
    throw new PayloadError(`payload field "${field}": ${issue.message}`, field);
  }
  const { ref, after, repository, project } = parsed.data;
  const urls = new Set<string>();
  for (const holder of [repository, project ?? {}])
    for (const f of URL_FIELDS) {
      const v = holder[f];
      if (typeof v === "string" && v.length <= 2000 && repositoryKey(v)) urls.add(v);
    }
  if (urls.size === 0)
    throw new PayloadError(
      'payload field "repository": names no clone URL (expected clone_url, ssh_url, git_http_url or git_ssh_url)',
      "repository",
    );
  return { ref, after: after.toLowerCase(), repositoryUrls: [...urls], deleted: /^0+$/.test(after) };
}
