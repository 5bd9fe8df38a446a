"use client";
// The agent's Tokens tab: its tokens (never their values), creating one (shown once, with install
// commands) and revoking one after a confirmation.
import { useQueryClient } from "@tanstack/react-query";
import { useRef, useState } from "react";
import { fetchJson } from "@/components/providers";
import { LastUsedCell, TokenStatusText } from "@/components/tokens/token-cells";
import { useTokenRevocation } from "@/components/tokens/use-token-revocation";
import { Button } from "@/components/ui/button";
import { DataTable } from "@/components/ui/data-table";
import { RevokeTokenButton, RevokeTokenDialog } from "@/components/ui/revoke-token-dialog";
import { EmptyState, ErrorState, LoadingState } from "@/components/ui/states";
import { useSignInWhenExpired } from "@/components/ui/use-sign-in-when-expired";
import { UtcTime } from "@/components/ui/utc-time";
import type { TokenRow } from "@/lib/agents";
import { agentKeys, useAgentTokens, type CreatedToken } from "./api";
import { CreateTokenForm } from "./token-form";
import { AgentTokenReveal } from "./token-reveal";

export function TokensPanel({
  agentId,
  agentName,
  callbackUrl,
}: {
  agentId: string;
  agentName: string;
  callbackUrl: string;
}) {
  const queryClient = useQueryClient();
  const q = useAgentTokens(agentId);
  const [creating, setCreating] = useState(false);
  const [created, setCreated] = useState<CreatedToken | null>(null);
  const [lateClose, setLateClose] = useState(false);
  const createButton = useRef<HTMLButtonElement>(null);
  useSignInWhenExpired(q.error, callbackUrl);
  const revocation = useTokenRevocation<TokenRow, { ok: true; tunnelsClosed: boolean }>(
    (tokenId) =>
      fetchJson<{ ok: true; tunnelsClosed: boolean }>(
        `/api/agents/${encodeURIComponent(agentId)}/tokens/${encodeURIComponent(tokenId)}`,
        { method: "DELETE" },
      ),
    (answer) => {
      setLateClose(!answer.tunnelsClosed);
      void queryClient.invalidateQueries({ queryKey: agentKeys.tokens(agentId) });
      void queryClient.invalidateQueries({ queryKey: agentKeys.agent(agentId) });
    },
  );

  if (q.isPending) return <LoadingState label="Loading tokens…" />;
  if (q.isError && !q.data)
    return <ErrorState title="Could not load the tokens" message={q.error.message} onRetry={() => void q.refetch()} />;
  const { tokens, canManage, maxActiveTokens } = q.data!;
  const active = tokens.filter((t) => t.status === "active").length;
  const atLimit = active >= maxActiveTokens;
  const finish = () => {
    setCreated(null);
    setCreating(false);
    requestAnimationFrame(() => createButton.current?.focus());
  };

  return (
    <div className="space-y-6">
      {lateClose ? (
        <p
          role="status"
          className="rounded-md border border-amber-300 bg-amber-50 p-3 text-sm text-amber-900 dark:border-amber-700 dark:bg-amber-950 dark:text-amber-200"
        >
          The token is revoked, but kas could not be told at once: tunnels the agent opened with it close at kas&apos;s
          next token check, within about 30 seconds.
        </p>
      ) : null}
      <div className="flex flex-wrap items-center justify-between gap-4">
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          {active} of at most {maxActiveTokens} active tokens. Two let you rotate without downtime: create a new one,
          switch the agent to it, then revoke the old one.
        </p>
        {canManage && !creating && !created ? (
          <div className="flex flex-col items-end gap-1">
            <Button
              ref={createButton}
              type="button"
              onClick={() => setCreating(true)}
              disabled={atLimit}
              aria-describedby={atLimit ? "token-limit-reason" : undefined}
            >
              Create token
            </Button>
            {atLimit ? (
              <p id="token-limit-reason" className="text-sm text-zinc-600 dark:text-zinc-400">
                {active} of {maxActiveTokens} tokens are active: revoke one to create another.
              </p>
            ) : null}
          </div>
        ) : null}
      </div>

      {canManage && (creating || created) ? (
        <section aria-label="New token" className="rounded-lg border border-zinc-200 p-6 dark:border-zinc-800">
          {created ? (
            <AgentTokenReveal created={created} agentName={agentName} onDone={finish} />
          ) : (
            <CreateTokenForm agentId={agentId} onCreated={setCreated} onCancel={finish} />
          )}
        </section>
      ) : null}

      {tokens.length === 0 ? (
        <EmptyState title="No tokens yet">
          <p>
            {canManage
              ? "Create a token to install the agent in your cluster."
              : "A maintainer of this project can create a token for this agent."}
          </p>
        </EmptyState>
      ) : (
        <DataTable
          caption={`Tokens of agent ${agentName}`}
          columns={["Name", "Created by", "Created", "Last used", "Status"]}
          actions={canManage}
        >
          {tokens.map((t) => (
            <tr key={t.id}>
              <th scope="row" className="px-4 py-3 font-normal">
                <div className="font-medium">{t.name}</div>
                {t.description ? <div className="text-zinc-500">{t.description}</div> : null}
              </th>
              <td className="px-4 py-3">
                {t.createdBy ? `@${t.createdBy}` : <span className="text-zinc-500">Deleted user</span>}
              </td>
              <td className="px-4 py-3">
                <UtcTime iso={t.createdAt} />
              </td>
              <td className="px-4 py-3">
                <LastUsedCell iso={t.lastUsedAt} from={t.lastUsedFrom} />
              </td>
              <td className="px-4 py-3">
                <TokenStatusText
                  status={t.status}
                  revokedAt={t.revokedAt}
                  revokedBy={t.revokedBy ? `@${t.revokedBy}` : null}
                />
              </td>
              {canManage ? (
                <td className="px-4 py-3 text-right">
                  <RevokeTokenButton token={t} onRevoke={revocation.ask} />
                </td>
              ) : null}
            </tr>
          ))}
        </DataTable>
      )}

      <RevokeTokenDialog token={revocation.token} revoke={revocation.revoke} onCancel={revocation.cancel}>
        <p>
          An agent using this token is disconnected within a minute and cannot connect with it again. This cannot be
          undone.
        </p>
      </RevokeTokenDialog>
    </div>
  );
}
