// The checks of edited YAML before anything is sent (one mapping, the same object, a resourceVersion so a
// concurrent change is a conflict), and the object as the editor shows it. Browser-safe and zod-free: the
// drawer runs these as you type, and the server runs the same before sending.
import { isMap, LineCounter, parseDocument, stringify } from "yaml";
import { resourceOf } from "./resource";

/** The object being edited: the collection path, namespace and name. */
export interface EditTarget {
  path: string;
  namespace?: string;
  name: string;
}

/** Secrets are never edited here: their values stay on the server, so the browser never has the whole object. */
export function editable(path: string): boolean {
  const { group, resource } = resourceOf(path);
  return !(group === "" && resource === "secrets");
}

export interface EditProblem {
  line: number | null;
  message: string;
}

export type EditCheck = { ok: true; object: KubeObjectLike } | { ok: false; problems: EditProblem[] };

export interface KubeObjectLike {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; resourceVersion: string; managedFields?: unknown } & Record<
    string,
    unknown
  >;
  [k: string]: unknown;
}

/**
 * Checks edited YAML before anything is sent: it parses (every syntax error with its line), is one mapping,
 * and is still the object being edited (name and namespace unchanged, resourceVersion kept so a change made
 * meanwhile is refused as a conflict rather than overwritten). Secrets are refused.
 */
export function checkEdited(text: string, target: EditTarget): EditCheck {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines, uniqueKeys: true });
  if (doc.errors.length)
    return {
      ok: false,
      problems: doc.errors.map((e) => ({
        line: e.linePos?.[0]?.line ?? null,
        message: e.message.split("\n")[0]!.replace(/ at line \d+, column \d+:?$/, ""),
      })),
    };
  if (!isMap(doc.contents))
    return {
      ok: false,
      problems: [{ line: null, message: "the object must be a YAML mapping (apiVersion, kind, …)" }],
    };
  const lineOf = (...path: string[]): number | null => {
    for (let n = path.length; n >= 0; n--) {
      const node = n === 0 ? doc.contents : doc.getIn(path.slice(0, n), true);
      const range = (node as { range?: [number, number, number] } | undefined)?.range;
      if (range) return lines.linePos(range[0]).line;
    }
    return null;
  };
  const value = doc.toJS() as Record<string, unknown>;
  const meta = (value.metadata ?? {}) as Record<string, unknown>;
  const problems: EditProblem[] = [];
  const want = { namespace: target.namespace ?? resourceOf(target.path).namespace, name: target.name };
  if (typeof value.apiVersion !== "string" || !value.apiVersion)
    problems.push({ line: lineOf("apiVersion"), message: "apiVersion is missing" });
  if (typeof value.kind !== "string" || !value.kind)
    problems.push({ line: lineOf("kind"), message: "kind is missing" });
  else if (value.kind === "Secret" || !editable(target.path))
    problems.push({ line: lineOf("kind"), message: "Secrets are not edited here: their values stay on the server" });
  if (meta.name !== want.name)
    problems.push({
      line: lineOf("metadata", "name"),
      message: `metadata.name must stay "${want.name}" (to make another object, use kubectl)`,
    });
  if ((meta.namespace ?? undefined) !== want.namespace)
    problems.push({
      line: lineOf("metadata", "namespace"),
      message: want.namespace
        ? `metadata.namespace must stay "${want.namespace}"`
        : "metadata.namespace must not be set: this kind is not namespaced",
    });
  if (typeof meta.resourceVersion !== "string" || !meta.resourceVersion)
    problems.push({
      line: lineOf("metadata", "resourceVersion"),
      message: "metadata.resourceVersion must stay, so that a change made meanwhile is refused, not overwritten",
    });
  if (problems.length) return { ok: false, problems: problems.sort((a, b) => (a.line ?? 0) - (b.line ?? 0)) };
  return { ok: true, object: value as KubeObjectLike };
}

/** "line 3: …" */
export function describeEditProblem(p: EditProblem): string {
  return p.line ? `line ${p.line}: ${p.message}` : p.message;
}

/** An object as the editor and the diff show it: YAML without managedFields. */
export function editableYaml(object: { metadata?: object } & Record<string, unknown>): string {
  const { managedFields: _mf, ...metadata } = (object.metadata ?? {}) as Record<string, unknown>;
  void _mf;
  return stringify({ ...object, metadata }, { lineWidth: 0 });
}
