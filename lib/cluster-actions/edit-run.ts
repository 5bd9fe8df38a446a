// Sending an edited object as the viewer: "Review" is a dry run (dryRun=All) that answers the live object
// and what the cluster would store, both without managedFields, for the page's diff; "Apply" is the same
// replace for real, audited as `cluster.action` (verb edit) whether the cluster takes it or refuses it.
import type { Db } from "@/lib/db/client";
import { HttpError } from "@/lib/http/body";
import { logger } from "@/lib/log/logger";
import { UpstreamStatusError, type TunnelClient } from "@/lib/tunnel-client";
import type { Impersonation } from "@/proto/gen/tether/v1/tunnel";
import { objectPath } from "@/lib/cluster-cache/paths";
import { resourceOf } from "./actions";
import { checkEdited, describeEditProblem, editable, editableYaml, editRequestFor, type EditRequest } from "./edit";
import { auditedAction, refusal } from "./run";

const log = logger.child({ capability: "cluster-actions" });

type Client = Pick<TunnelClient, "agentFetch" | "agentJson">;

export type EditAnswer =
  { dryRun: true; live: string; result: string } | { dryRun: false; message: string; resourceVersion: string | null };

/**
 * Checks the edited YAML (nothing is sent when it is malformed or names another object), then sends it
 * as the viewer. A refusal throws the cluster's own words (a conflict when the object changed meanwhile).
 */
export async function runEdit(
  client: Client,
  db: Db,
  who: { userId: string; ip?: string },
  agentId: string,
  r: EditRequest,
  impersonation: Impersonation | undefined,
  signal?: AbortSignal,
): Promise<EditAnswer> {
  const { resource, namespace: pathNs } = resourceOf(r.path);
  if (!editable(r.path))
    throw new HttpError(400, "Secrets are not edited here: their values stay on the server; use kubectl", "path");
  const check = checkEdited(r.yaml, r);
  if (!check.ok) throw new HttpError(400, check.problems.map(describeEditProblem).join("; "), "yaml");
  const target = { path: r.path, namespace: r.namespace, name: r.name };
  const req = editRequestFor(target, check.object, r.dryRun);
  const what = `${resource.replace(/s$/, "")} ${(r.namespace ?? pathNs) ? `${r.namespace ?? pathNs}/` : ""}${r.name}`;

  if (r.dryRun) {
    try {
      const live = await client.agentJson<Record<string, unknown>>(agentId, {
        path: objectPath(r.path, r.namespace, r.name),
        impersonation,
        signal,
      });
      const res = await client.agentFetch(agentId, { ...req, impersonation, signal });
      const text = await res.text();
      if (res.status >= 400) throw new UpstreamStatusError(res.status, text);
      log.debug({ agentId, resource, name: r.name }, "edit dry run");
      return {
        dryRun: true,
        live: editableYaml(live),
        result: editableYaml(JSON.parse(text) as Record<string, unknown>),
      };
    } catch (e) {
      if (e instanceof UpstreamStatusError) throw refusal(e);
      throw e;
    }
  }

  return auditedAction(
    {
      db,
      who,
      agentId,
      impersonation,
      verb: "edit",
      resource,
      namespace: r.namespace ?? pathNs ?? null,
      name: r.name,
      details: () => ({ fromResourceVersion: check.object.metadata.resourceVersion }),
    },
    async () => {
      const res = await client.agentFetch(agentId, { ...req, impersonation });
      const text = await res.text();
      if (res.status >= 400) throw new UpstreamStatusError(res.status, text);
      const stored = JSON.parse(text) as { metadata?: { resourceVersion?: string } };
      const value: EditAnswer = {
        dryRun: false,
        message: `Edited the YAML of ${what}`,
        resourceVersion: stored.metadata?.resourceVersion ?? null,
      };
      return { status: res.status, value };
    },
  );
}
