"use client";
// The agent pages' data: JSON routes polled with TanStack Query, so statuses change without a reload.
import { useQuery } from "@tanstack/react-query";
import { fetchJson } from "@/components/providers";
import type { ConfigVersion, ConfigView, SharingView } from "@/lib/agent-config";
import type { AgentListView, AgentView, InstallInstructions, TokenRow } from "@/lib/agents";

/** How often the pages ask again (kas decides "connected" at that moment). */
export const POLL_MS = 3_000;

/** Server time minus browser time, measured on each answer, so "12 s ago" is right on a skewed clock. */
function withSkew<T extends { now: string }>(data: T): T & { skewMs: number } {
  return { ...data, skewMs: Date.parse(data.now) - Date.now() };
}

export const agentKeys = {
  project: (projectId: string) => ["project-agents", projectId] as const,
  agent: (agentId: string) => ["agent", agentId] as const,
  tokens: (agentId: string) => ["agent-tokens", agentId] as const,
  config: (agentId: string) => ["agent-config", agentId] as const,
  configVersion: (agentId: string, version: number) => ["agent-config", agentId, version] as const,
  sharing: (agentId: string) => ["agent-sharing", agentId] as const,
};

export function useProjectAgents(projectId: string) {
  return useQuery({
    queryKey: agentKeys.project(projectId),
    queryFn: async () =>
      withSkew(await fetchJson<AgentListView>(`/api/projects/${encodeURIComponent(projectId)}/agents`)),
    refetchInterval: POLL_MS,
    staleTime: 0,
  });
}

/** One agent, polled every `pollMs` (while `until` does not hold, when given). */
export function useAgent(
  agentId: string,
  { pollMs = POLL_MS, until }: { pollMs?: number; until?: (view: AgentView) => boolean } = {},
) {
  return useQuery({
    queryKey: agentKeys.agent(agentId),
    queryFn: async () => withSkew(await fetchJson<AgentView>(`/api/agents/${encodeURIComponent(agentId)}`)),
    refetchInterval: (query) => (until && query.state.data && until(query.state.data) ? false : pollMs),
    staleTime: 0,
  });
}

export function useAgentTokens(agentId: string) {
  return useQuery({
    queryKey: agentKeys.tokens(agentId),
    queryFn: () =>
      fetchJson<{ canManage: boolean; maxActiveTokens: number; tokens: TokenRow[] }>(
        `/api/agents/${encodeURIComponent(agentId)}/tokens`,
      ),
    refetchInterval: 10_000,
    staleTime: 0,
  });
}

export interface CreatedToken {
  id: string;
  token: string;
  install: InstallInstructions;
}

export function useAgentConfig(agentId: string) {
  return useQuery({
    queryKey: agentKeys.config(agentId),
    queryFn: () => fetchJson<ConfigView>(`/api/agents/${encodeURIComponent(agentId)}/config`),
    refetchInterval: 15_000,
    staleTime: 0,
  });
}

/** An older version, read-only: it never changes, so it is cached for good. */
export function useAgentConfigVersion(agentId: string, version: number | null) {
  return useQuery({
    queryKey: agentKeys.configVersion(agentId, version ?? 0),
    queryFn: () => fetchJson<ConfigVersion>(`/api/agents/${encodeURIComponent(agentId)}/config/versions/${version}`),
    enabled: version !== null,
    staleTime: Infinity,
  });
}

export function useAgentSharing(agentId: string) {
  return useQuery({
    queryKey: agentKeys.sharing(agentId),
    queryFn: () => fetchJson<SharingView>(`/api/agents/${encodeURIComponent(agentId)}/sharing`),
    refetchInterval: 15_000,
    staleTime: 0,
  });
}
