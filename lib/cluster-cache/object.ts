// One object of a collection the live view shows, read whole through the tunnel as the viewer's identity
// sees it (tables get summaries of big kinds); Secrets with key names only. Never caches it.
import { NotFound } from "@/lib/errors";
import type { Impersonation } from "@/proto/gen/tether/v1/tunnel";
import { UpstreamStatusError, type TunnelClient } from "@/lib/tunnel-client";
import { forViewers } from "./collection";
import { objectPath } from "./paths";
import type { KubeObject } from "./wire";

/** The cluster no longer has the object (deleted since the table showed it). */
class ObjectGone extends NotFound {
  constructor() {
    super("object");
    this.message = "the object is gone";
  }
}

export async function readObject(
  client: Pick<TunnelClient, "agentJson">,
  agentId: string,
  ref: { path: string; namespace?: string; name: string },
  impersonation: Impersonation | undefined,
  signal?: AbortSignal,
): Promise<KubeObject> {
  try {
    const object = await client.agentJson<KubeObject>(agentId, {
      path: objectPath(ref.path, ref.namespace, ref.name),
      impersonation,
      signal,
    });
    return forViewers(object, /\/secrets$/.test(ref.path));
  } catch (e) {
    if (e instanceof UpstreamStatusError && e.status === 404) throw new ObjectGone();
    throw e;
  }
}
