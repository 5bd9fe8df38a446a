// The agent configuration's schema and its validation, listing every problem with the line it is on.
// Browser-safe (yaml and zod only, no Node APIs): the Configuration tab's editor runs it as you type, and
// the server runs the same code before saving (parse.ts), so both say the same thing.
import { LineCounter, isMap, isNode, isScalar, parseDocument, type Document } from "yaml";
import { z } from "zod";
import { fluxConfigSchema } from "@/lib/common/flux-config";

const empty = z.object({}).strict();
const ciAccessAs = z.union([z.object({ agent: empty }).strict(), z.object({ ci_job: empty }).strict()], {
  error: "access_as must be { agent: {} } or { ci_job: {} }",
});
const userAccessAs = z.union([z.object({ agent: empty }).strict(), z.object({ user: empty }).strict()], {
  error: "access_as must be { agent: {} } or { user: {} }",
});
const namespace = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "default_namespace must be a Kubernetes namespace name")
  .max(63);
const ref = z.string().trim().min(1, "id must name a project (group/project) or a group").max(255);

export const ciEntry = z
  .object({ id: ref, default_namespace: namespace.optional(), access_as: ciAccessAs.optional() })
  .strict();
const userEntry = z.object({ id: ref }).strict();

export const agentConfigSchema = z
  .object({
    ci_access: z
      .object({ projects: z.array(ciEntry).max(500).optional(), groups: z.array(ciEntry).max(500).optional() })
      .strict()
      .optional(),
    user_access: z
      .object({
        access_as: userAccessAs.optional(),
        projects: z.array(userEntry).max(500).optional(),
        groups: z.array(userEntry).max(500).optional(),
      })
      .strict()
      .optional(),
    flux: fluxConfigSchema.optional(),
  })
  .strict();

export type AgentConfigData = z.infer<typeof agentConfigSchema>;

export const MAX_CONFIG_BYTES = 64 * 1024;

/** One problem: the 1-based line it is on (null when it has none, e.g. the size), and what is wrong. */
export interface ConfigProblem {
  line: number | null;
  message: string;
}

export type ConfigValidation = { ok: true; data: AgentConfigData } | { ok: false; problems: ConfigProblem[] };

/**
 * Parses and validates, listing every problem at once, in line order. Invalid YAML lists the parser's
 * errors (the schema is not checked on a document that does not parse); valid YAML lists every schema issue.
 */
export function validateAgentConfig(text: string): ConfigValidation {
  if (new TextEncoder().encode(text).length > MAX_CONFIG_BYTES)
    return {
      ok: false,
      problems: [{ line: null, message: `configuration is too large (limit ${MAX_CONFIG_BYTES / 1024} KiB)` }],
    };
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  if (doc.errors.length)
    return {
      ok: false,
      // The yaml library ends its messages with " at line N, column M"; the line goes in front instead.
      problems: sorted(
        doc.errors.map((e) => ({
          message: e.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, ""),
          line: e.linePos?.[0]?.line ?? null,
        })),
      ),
    };
  const value: unknown = doc.toJS() ?? {};
  const parsed = agentConfigSchema.safeParse(value);
  if (parsed.success) return { ok: true, data: parsed.data };
  return { ok: false, problems: sorted(parsed.error.issues.map((issue) => problemOf(doc, lines, issue))) };
}

function problemOf(doc: Document, lines: LineCounter, issue: z.ZodError["issues"][number]): ConfigProblem {
  let line: number | null = null;
  if (issue.code === "unrecognized_keys") {
    // The line of the first unknown key itself, not of the map that holds it.
    const map = issue.path.length ? doc.getIn(issue.path as (string | number)[], true) : doc.contents;
    const pair = isMap(map)
      ? map.items.find((p) => isScalar(p.key) && issue.keys.includes(String(p.key.value)))
      : undefined;
    if (pair && isNode(pair.key) && pair.key.range) line = lines.linePos(pair.key.range[0]).line;
  }
  // Otherwise the line of the deepest node that exists on the issue's path.
  for (let n = issue.path.length; n >= 0 && line === null; n--) {
    const node = n === 0 ? doc.contents : doc.getIn(issue.path.slice(0, n) as (string | number)[], true);
    if (isNode(node) && node.range) line = lines.linePos(node.range[0]).line;
  }
  const where = issue.path.length ? `${issue.path.join(".")}: ` : "";
  const message =
    issue.code === "unrecognized_keys" ? `unknown key ${issue.keys.map((k) => `"${k}"`).join(", ")}` : issue.message;
  return { line, message: `${where}${message}` };
}

function sorted(problems: ConfigProblem[]): ConfigProblem[] {
  const seen = new Set<string>();
  return problems
    .filter((p) => {
      const k = `${p.line}:${p.message}`;
      if (seen.has(k)) return false;
      seen.add(k);
      return true;
    })
    .sort((a, b) => (a.line ?? 0) - (b.line ?? 0));
}

/** How the page and the server say a problem: "line 4: unknown key …". */
export function describeProblem(p: ConfigProblem): string {
  return p.line ? `line ${p.line}: ${p.message}` : p.message;
}
