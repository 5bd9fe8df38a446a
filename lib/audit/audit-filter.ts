// The audit log's filters (actor, action, agent, date range, free-text search), read from a page's or
// an export's query string with zod: a bad value is reported, never silently ignored.
import { z } from "zod";
import { Invalid } from "@/lib/errors";

const day = z
  .string()
  .trim()
  .regex(/^\d{4}-\d{2}-\d{2}$/, "Dates are written YYYY-MM-DD")
  .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)), "Not a calendar date");

const optional = <T extends z.ZodTypeAny>(schema: T) =>
  z.preprocess((v) => (typeof v === "string" && v.trim() === "" ? undefined : v), schema.optional());

export const auditFilterSchema = z
  .object({
    /** A username, with or without "@". */
    actor: optional(
      z
        .string()
        .trim()
        .toLowerCase()
        .max(100, "Actor is too long")
        .transform((s) => s.replace(/^@/, "")),
    ),
    /** An action ("agent.deleted") or a family of them ("agent", "group"). */
    action: optional(
      z
        .string()
        .trim()
        .max(100, "Action is too long")
        .regex(/^[a-z0-9_.]+$/, "Actions are written like agent.deleted or agent_token"),
    ),
    /** An agent's name (also a deleted agent's). */
    agent: optional(z.string().trim().toLowerCase().max(63, "Agent name is too long (at most 63 characters)")),
    from: optional(day),
    to: optional(day),
    q: optional(z.string().trim().max(200, "Search is too long (at most 200 characters)")),
  })
  .refine((f) => !f.from || !f.to || f.from <= f.to, { message: "“From” is after “to”", path: ["to"] });

export type AuditFilter = z.infer<typeof auditFilterSchema>;

const KEYS = ["actor", "action", "agent", "from", "to", "q"] as const;

/** The filter in a query string (page's searchParams or URLSearchParams); Invalid naming the field when a value is wrong. */
export function parseAuditFilter(params: Record<string, string | string[] | undefined> | URLSearchParams): AuditFilter {
  const get = (k: string) => {
    const v = params instanceof URLSearchParams ? (params.get(k) ?? undefined) : params[k];
    return Array.isArray(v) ? v[0] : v;
  };
  const r = auditFilterSchema.safeParse(Object.fromEntries(KEYS.map((k) => [k, get(k)])));
  if (!r.success) {
    const issue = r.error.issues[0];
    throw new Invalid(issue?.message ?? "Invalid filter", issue?.path.join("."));
  }
  return r.data;
}

/** The filter as a query string (without "?"), for page links and the export link. */
export function auditFilterQuery(f: AuditFilter, extra: Record<string, string> = {}): string {
  const p = new URLSearchParams();
  for (const k of KEYS) {
    const v = f[k];
    if (v) p.set(k, v);
  }
  for (const [k, v] of Object.entries(extra)) p.set(k, v);
  return p.toString();
}

export function isFiltered(f: AuditFilter): boolean {
  return KEYS.some((k) => Boolean(f[k]));
}

/** The actions the filter offers: families first (every action of a kind), then single actions. */
export const AUDIT_ACTION_CHOICES: { value: string; label: string }[] = [
  { value: "group", label: "Any group change" },
  { value: "project", label: "Any project change" },
  { value: "agent", label: "Any agent change" },
  { value: "agent_token", label: "Any agent token change" },
  { value: "agent_config", label: "Configuration saved" },
  { value: "agent_sharing", label: "Any sharing change" },
  { value: "k8s_proxy", label: "Any Kubernetes API access" },
  { value: "personal_token", label: "Any personal token change" },
  { value: "project_token", label: "Any project access token change" },
  { value: "user", label: "Any account event" },
  ...[
    "group.created",
    "group.updated",
    "group.deleted",
    "group.member_added",
    "group.member_role_changed",
    "group.member_removed",
    "group.member_left",
    "project.created",
    "project.updated",
    "project.transferred",
    "project.deleted",
    "agent.registered",
    "agent.deleted",
    "agent_token.created",
    "agent_token.revoked",
    "project_token.created",
    "project_token.revoked",
    "agent_sharing.changed",
    "agent_sharing.access_as_changed",
    "k8s_proxy.request",
    "k8s_proxy.refused",
    "user.sign_up",
    "user.sign_in",
    "user.sign_in_locked",
    "user.password_reset_requested",
    "user.password_reset",
  ].map((a) => ({ value: a, label: a })),
];

/** The audit page's query string (`?page=N`, 50 events a page). */
export const auditPageQuery = z.object({
  page: z.coerce
    .number({ error: "page must be a whole number from 1" })
    .int("page must be a whole number from 1")
    .min(1, "page must be a whole number from 1")
    .default(1),
});

/** An export's `project` parameter (absent: the whole installation, administrators only). */
export const auditExportProject = z
  .string()
  .trim()
  .min(3)
  .max(200)
  .regex(/^[^/]+\/[^/]+$/, "project is namespace/project");
