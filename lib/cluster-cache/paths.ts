// Paths of the Kubernetes API the live view may ask for: a collection (cluster-wide or in one
// namespace), and one object of it.
import { z } from "zod";
import { checkLabelSelector } from "./label-selector";

const COLLECTION =
  /^(\/api\/v1|\/apis\/[a-z0-9.-]+\/[a-z0-9]+)(\/namespaces\/([a-z0-9]([-a-z0-9]*[a-z0-9])?))?\/([a-z0-9]+)$/;

/** A collection path of the Kubernetes API, cluster-wide or in one namespace. */
export const collectionPath = z
  .string()
  .regex(COLLECTION, "path must be a Kubernetes collection, e.g. /api/v1/namespaces/default/pods");

/** A DNS-1123 name, as Kubernetes objects and namespaces have (subdomain form: dots allowed). */
export const objectName = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$/, "not a Kubernetes name")
  .max(253);

/** One object of a collection: /api/v1/pods + (apps, web) → /api/v1/namespaces/apps/pods/web. */
export function objectPath(collection: string, namespace: string | undefined, name: string): string {
  const m = COLLECTION.exec(collection);
  if (!m) throw new Error(`not a collection path: ${collection}`);
  const ns = namespace ?? m[3];
  return `${m[1]}${ns ? `/namespaces/${ns}` : ""}/${m[5]}/${name}`;
}

/**
 * A live collection: a collection path, optionally narrowed by a label selector as the API has it
 * (`/api/v1/pods?labelSelector=app%3Dweb`). The selector must parse and be written the one way
 * (formatLabelSelector), so that one filter shares one watch in the cache.
 */
export const liveCollection = z.string().superRefine((s, ctx) => {
  const q = s.indexOf("?");
  const base = q < 0 ? s : s.slice(0, q);
  if (!COLLECTION.test(base)) {
    ctx.addIssue({
      code: "custom",
      message: "path must be a Kubernetes collection, e.g. /api/v1/namespaces/default/pods",
    });
    return;
  }
  if (q < 0) return;
  const params = new URLSearchParams(s.slice(q + 1));
  const selector = params.get("labelSelector");
  if (
    [...params.keys()].some((k) => k !== "labelSelector") ||
    selector === null ||
    params.getAll("labelSelector").length > 1
  ) {
    ctx.addIssue({ code: "custom", message: "a collection path takes only ?labelSelector=" });
    return;
  }
  const checked = checkLabelSelector(selector);
  if (!checked.ok) ctx.addIssue({ code: "custom", message: `labelSelector: ${checked.error}` });
  else if (!checked.selector) ctx.addIssue({ code: "custom", message: "labelSelector is empty: leave it out" });
  else if (checked.selector !== selector)
    ctx.addIssue({ code: "custom", message: `labelSelector must be written as "${checked.selector}"` });
});

// In label-selector.ts, which pages import without zod.
export { withLabelSelector } from "./label-selector";

/** The live stream's collections (`?path=…&path=…`, one to twelve). */
export const liveQuery = z
  .array(liveCollection)
  .min(1, "name at least one collection with ?path=")
  .max(12, "at most 12 collections per stream");

/** One object of a collection (`?path=&namespace=&name=`). */
export const objectQuery = z.object({ path: collectionPath, namespace: objectName.optional(), name: objectName });
