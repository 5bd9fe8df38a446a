"use client";
// What the cluster lets the viewer do to one object (asked with SelfSubjectAccessReview as the viewer) and
// the mutation that does it (sent as the viewer, audited by the server): shared by the drawer's actions and
// the GitOps tab's Flux actions, so both ask and send the same way.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { fetchJson } from "@/components/providers";
import type { ActionName } from "@/lib/cluster-actions/actions";

export const actionKeys = {
  allowed: (agentId: string, path: string, namespace: string, name: string) =>
    ["cluster-actions", agentId, path, namespace, name] as const,
};

/** An action to send; `replicas` for scale (NaN when the field is empty: the server names the problem). */
export interface ActionToRun {
  action: ActionName;
  replicas?: number;
}

export function useObjectActions(
  agentId: string,
  object: { path: string; namespace: string; name: string },
  /** How long the cluster's answer stands before it is asked again. */
  staleTime: number,
) {
  const { path, namespace, name } = object;
  const target = { path, name, ...(namespace ? { namespace } : {}) };
  const key = actionKeys.allowed(agentId, path, namespace, name);
  const allowed = useQuery({
    queryKey: key,
    queryFn: async () =>
      (
        await fetchJson<{ allowed: ActionName[] }>(
          `/api/agents/${encodeURIComponent(agentId)}/actions?${new URLSearchParams(target)}`,
        )
      ).allowed,
    staleTime,
    retry: 1,
  });
  const queryClient = useQueryClient();
  const run = useMutation({
    mutationFn: ({ action, replicas }: ActionToRun) =>
      fetchJson<{ message: string }>(`/api/agents/${encodeURIComponent(agentId)}/actions`, {
        method: "POST",
        body: JSON.stringify({ ...target, action, ...(action === "scale" ? { replicas } : {}) }),
      }),
    // What the viewer may do can follow from what was done (cordoned, suspended).
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: key }),
  });
  return { allowed, run };
}
