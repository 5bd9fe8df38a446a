"use client";
// The agent pages' data: JSON routes polled with TanStack Query, so statuses change without a reload.
import { useQuery } from "@tanstack/react-query";
import { fetchJson } from "@/components/providers";
import type { InstallInstructions } from "@/lib/agents/install";
import type { AgentListView, AgentView, TokenRow } from "@/lib/agents/views";

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
};

export function useProjectAgents(projectId: string) {
  return useQuery({
    queryKey: agentKeys.project(projectId),
    queryFn: async () => withSkew(await fetchJson<AgentListView>(`/api/projects/${encodeURIComponent(projectId)}/agents`)),
    refetchInterval: POLL_MS,
    staleTime: 0,
  });
}

export function useAgent(agentId: string) {
  return useQuery({
    queryKey: agentKeys.agent(agentId),
    queryFn: async () => withSkew(await fetchJson<AgentView>(`/api/agents/${encodeURIComponent(agentId)}`)),
    refetchInterval: POLL_MS,
    staleTime: 0,
  });
}

export function useAgentTokens(agentId: string) {
  return useQuery({
    queryKey: agentKeys.tokens(agentId),
    queryFn: () => fetchJson<{ canManage: boolean; maxActiveTokens: number; tokens: TokenRow[] }>(`/api/agents/${encodeURIComponent(agentId)}/tokens`),
    refetchInterval: 10_000,
    staleTime: 0,
  });
}

export interface CreatedToken {
  id: string;
  token: string;
  install: InstallInstructions;
}
