"use client";
// CPU and memory of pods (of the namespaces shown, or all) or nodes from the cluster's metrics.k8s.io,
// polled every 15 s while the page shows live figures (GET /api/agents/:id/metrics, as the viewer), and the
// one quiet line that says why there are none.
import { keepPreviousData, useQuery } from "@tanstack/react-query";
import { useMemo } from "react";
import { fetchJson } from "@/components/providers";
import type { MetricsAnswer, ResourceUsage } from "@/lib/cluster-metrics/wire";
import { mergeAnswers, metricsNotice, usageByKey, type MetricsOf } from "./resource-usage";

/** metrics-server measures every 15 s by default (kubectl top's figures are as old). */
export const METRICS_POLL_MS = 15_000;

export function useMetrics(agentId: string, of: MetricsOf | null, namespaces: readonly string[], enabled: boolean) {
  const scopes = of === "pods" && namespaces.length ? [...namespaces] : [null];
  const query = useQuery({
    enabled: enabled && of !== null,
    queryKey: ["cluster-metrics", agentId, of, ...scopes],
    queryFn: async ({ signal }) =>
      mergeAnswers(
        await Promise.all(
          scopes.map((ns) => {
            const q = new URLSearchParams({ of: of ?? "", ...(ns ? { namespace: ns } : {}) });
            return fetchJson<MetricsAnswer>(`/api/agents/${encodeURIComponent(agentId)}/metrics?${q}`, { signal });
          }),
        ),
      ),
    refetchInterval: METRICS_POLL_MS,
    placeholderData: keepPreviousData,
    retry: 1,
  });
  const answer = query.data;
  const byKey = useMemo(
    () => usageByKey(answer?.state === "available" ? answer.usage : ([] as ResourceUsage[])),
    [answer],
  );
  // A failed poll after good figures keeps them and says nothing; a first failure says so once.
  const error = query.isError && !answer ? query.error.message : null;
  return { answer, byKey, notice: metricsNotice(answer, error) };
}

/** The one line a page shows when it has no CPU or memory figures; quiet, since a cluster may have no metrics-server. */
export function MetricsNotice({ text }: { text: string | null }) {
  if (!text) return null;
  return (
    <p role="note" data-testid="metrics-notice" className="text-sm text-zinc-500">
      {text}
    </p>
  );
}
