// A collection path's parts. No zod here: the browser imports this (through edit-check.ts), and a zod object
// schema built in the browser probes eval, which the page's CSP reports.

/** A collection path's API group, version, namespace and resource: /apis/apps/v1/namespaces/a/deployments. */
export function resourceOf(path: string): { group: string; version: string; resource: string; namespace?: string } {
  const m = /^(?:\/api\/(v1)|\/apis\/([a-z0-9.-]+)\/([a-z0-9]+))(?:\/namespaces\/([^/]+))?\/([a-z0-9]+)$/.exec(path);
  if (!m) throw new Error(`not a collection path: ${path}`);
  return { group: m[2] ?? "", version: m[1] ?? m[3]!, resource: m[5]!, namespace: m[4] };
}
