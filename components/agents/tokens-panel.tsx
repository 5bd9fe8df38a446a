"use client";
// The agent's Tokens tab: its tokens (never their values), creating one (shown once, with install
// commands) and revoking one after a confirmation.
import { useMutation, useQueryClient } from "@tanstack/react-query";
import { signIn } from "next-auth/react";
import { useEffect, useRef, useState } from "react";
import { ApiError, fetchJson } from "@/components/providers";
import { Button } from "@/components/ui/button";
import { RevokeTokenButton, RevokeTokenDialog } from "@/components/ui/revoke-token-dialog";
import { EmptyState, ErrorState, LoadingState } from "@/components/ui/states";
import type { TokenRow } from "@/lib/agents";
import { agentKeys, useAgentTokens, type CreatedToken } from "./api";
import { formatUtc } from "./format";
import { RelativeTime } from "./relative-time";
import { CreateTokenForm } from "./token-form";
import { TokenReveal } from "./token-reveal";

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
  const [revoking, setRevoking] = useState<TokenRow | null>(null);
  const [lateClose, setLateClose] = useState(false);
  const createButton = useRef<HTMLButtonElement>(null);
  const expired = q.error instanceof ApiError && q.error.status === 401;
  useEffect(() => {
    if (expired) void signIn(undefined, { callbackUrl });
  }, [expired, callbackUrl]);

  const revoke = useMutation({
    mutationFn: (tokenId: string) =>
      fetchJson<{ ok: true; tunnelsClosed: boolean }>(
        `/api/agents/${encodeURIComponent(agentId)}/tokens/${encodeURIComponent(tokenId)}`,
        { method: "DELETE" },
      ),
    onSuccess: (answer) => {
      setRevoking(null);
      setLateClose(!answer.tunnelsClosed);
      void queryClient.invalidateQueries({ queryKey: agentKeys.tokens(agentId) });
      void queryClient.invalidateQueries({ queryKey: agentKeys.agent(agentId) });
    },
  });

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
            <TokenReveal created={created} agentName={agentName} onDone={finish} />
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
        <div className="relative overflow-x-auto rounded-lg border border-zinc-200 dark:border-zinc-800">
          <table className="w-full text-left text-sm">
            <caption className="sr-only">Tokens of agent {agentName}</caption>
            <thead className="border-b border-zinc-200 bg-zinc-50 text-zinc-500 dark:border-zinc-800 dark:bg-zinc-900">
              <tr>
                <th scope="col" className="px-4 py-2 font-medium">
                  Name
                </th>
                <th scope="col" className="px-4 py-2 font-medium">
                  Created by
                </th>
                <th scope="col" className="px-4 py-2 font-medium">
                  Created
                </th>
                <th scope="col" className="px-4 py-2 font-medium">
                  Last used
                </th>
                <th scope="col" className="px-4 py-2 font-medium">
                  Status
                </th>
                {canManage ? (
                  <th scope="col" className="px-4 py-2 font-medium">
                    <span className="sr-only">Actions</span>
                  </th>
                ) : null}
              </tr>
            </thead>
            <tbody className="divide-y divide-zinc-100 dark:divide-zinc-900">
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
                    <time dateTime={t.createdAt}>{formatUtc(t.createdAt)}</time>
                  </td>
                  <td className="px-4 py-3">
                    <RelativeTime iso={t.lastUsedAt} never="Never used" />
                    {t.lastUsedFrom ? (
                      <span className="block text-xs text-zinc-500" data-testid="token-last-used-from">
                        from{" "}
                        {[
                          t.lastUsedFrom.pod ? `pod ${t.lastUsedFrom.pod}` : null,
                          t.lastUsedFrom.address ? `address ${t.lastUsedFrom.address}` : null,
                        ]
                          .filter(Boolean)
                          .join(", ")}
                      </span>
                    ) : null}
                  </td>
                  <td className="px-4 py-3">
                    {t.status === "active" ? (
                      <span className="font-medium text-green-700 dark:text-green-400">Active</span>
                    ) : (
                      <span className="text-zinc-500">
                        Revoked
                        {t.revokedAt ? (
                          <>
                            {" "}
                            <time dateTime={t.revokedAt}>{formatUtc(t.revokedAt)}</time>
                          </>
                        ) : null}
                        {t.revokedBy ? ` by @${t.revokedBy}` : ""}
                      </span>
                    )}
                  </td>
                  {canManage ? (
                    <td className="px-4 py-3 text-right">
                      <RevokeTokenButton
                        token={t}
                        onRevoke={(token) => {
                          revoke.reset();
                          setRevoking(token);
                        }}
                      />
                    </td>
                  ) : null}
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}

      <RevokeTokenDialog token={revoking} revoke={revoke} onCancel={() => setRevoking(null)}>
        <p>
          An agent using this token is disconnected within a minute and cannot connect with it again. This cannot be
          undone.
        </p>
      </RevokeTokenDialog>
    </div>
  );
}
