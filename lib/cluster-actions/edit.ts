// Editing an object's YAML from the live view: the route's request and the replace (PUT as the viewer, dry
// run first) the server sends. Pure. The checks of the edited text are edit-check.ts, which the drawer runs
// as you type (the browser imports that file, never this one: its zod object schemas would probe eval).
import { z } from "zod";
import { objectPath } from "@/lib/cluster-cache/paths";
import { actionTarget, type ActionTarget } from "./actions";
import type { KubeObjectLike } from "./edit-check";

export {
  checkEdited,
  describeEditProblem,
  editable,
  editableYaml,
  type EditCheck,
  type EditProblem,
  type KubeObjectLike,
} from "./edit-check";

/** The field manager Tether's writes carry, so `managedFields` say who changed what. */
export const FIELD_MANAGER = "tether";

// Under the request body limit of the proxy in front of the routes (next.config.ts), with room for JSON escaping.
export const MAX_EDIT_BYTES = 512 * 1024;

export const editRequest = actionTarget.extend({
  yaml: z
    .string({ error: 'Send the edited object as YAML text in "yaml"' })
    .max(MAX_EDIT_BYTES, `the edited object is larger than ${MAX_EDIT_BYTES / 1024} KiB`),
  /** true: the cluster checks and answers what it would store, changing nothing ("Review"). */
  dryRun: z.boolean(),
});
export type EditRequest = z.infer<typeof editRequest>;

/** The replace (PUT) the edit sends, as the viewer; a dry run changes nothing and answers what would be stored. */
export function editRequestFor(
  target: ActionTarget,
  object: KubeObjectLike,
  dryRun: boolean,
): { method: "PUT"; path: string; headers: Record<string, string>; body: string } {
  const q = new URLSearchParams({ fieldManager: FIELD_MANAGER, ...(dryRun ? { dryRun: "All" } : {}) });
  const { managedFields: _mf, ...metadata } = object.metadata;
  void _mf;
  return {
    method: "PUT",
    path: `${objectPath(target.path, target.namespace, target.name)}?${q}`,
    headers: { "content-type": "application/json", accept: "application/json" },
    body: JSON.stringify({ ...object, metadata }),
  };
}
