"use client";
// The user's personal access tokens: create one (name, scopes, expiry), shown once with a copy button;
// the list (never the values) with status and last use; revoke after a confirmation.
import { useQuery, useQueryClient } from "@tanstack/react-query";
import { fetchJson } from "@/components/providers";
import { CreateTokenForm, useRevealOnce } from "@/components/tokens/create-token-form";
import { LastUsedCell, TokenStatusText } from "@/components/tokens/token-cells";
import { TokenReveal } from "@/components/tokens/token-reveal";
import { useTokenRevocation } from "@/components/tokens/use-token-revocation";
import { DataTable } from "@/components/ui/data-table";
import { RevokeTokenButton, RevokeTokenDialog } from "@/components/ui/revoke-token-dialog";
import { EmptyState, ErrorState, LoadingState } from "@/components/ui/states";
import { useSignInWhenExpired } from "@/components/ui/use-sign-in-when-expired";
import { UtcTime } from "@/components/ui/utc-time";
import type { PersonalTokenRow, PersonalTokensView } from "@/lib/tokens/personal-tokens-view";

const KEY = ["personal-tokens"] as const;
const SCOPE_HELP: Record<string, string> = {
  api: "Read and write through Tether's REST API as you: projects, agents, their tokens and configuration.",
  read_api: "Only read through Tether's REST API (GET requests) as you.",
  k8s_proxy: "Use the Kubernetes API of shared clusters with kubectl, through Tether's agent server.",
};
/** Checked at first: what the form made before the REST API took tokens, and the narrowest. */
const DEFAULT_SCOPES = new Set(["k8s_proxy"]);
const MAX_DAYS = 365;

interface Created {
  id: string;
  token: string;
  expiresAt: string;
  name: string;
}

export function PersonalTokensPanel() {
  const queryClient = useQueryClient();
  const q = useQuery({
    queryKey: KEY,
    queryFn: () => fetchJson<PersonalTokensView>("/api/user/tokens"),
    refetchInterval: 30_000,
    staleTime: 0,
  });
  const once = useRevealOnce<Created>();
  useSignInWhenExpired(q.error, "/settings/tokens");
  const revocation = useTokenRevocation<PersonalTokenRow, unknown>(
    (id) => fetchJson(`/api/user/tokens/${encodeURIComponent(id)}`, { method: "DELETE" }),
    () => void queryClient.invalidateQueries({ queryKey: KEY }),
  );
  const { created } = once;

  return (
    <div className="space-y-8">
      <section aria-labelledby="pat-new-heading" className="rounded-lg border border-zinc-200 p-6 dark:border-zinc-800">
        <h2 id="pat-new-heading" className="mb-4 text-lg font-semibold">
          {created ? "Your new token" : "Create a token"}
        </h2>
        {created ? (
          <TokenReveal
            idPrefix="pat"
            title={`Token ${created.name} created`}
            valueLabel="Personal access token"
            token={created.token}
            onDone={once.done}
          >
            <p className="text-sm text-zinc-600 dark:text-zinc-400">
              It expires on <UtcTime iso={created.expiresAt} />. Scripts send it to the REST API as{" "}
              <code className="font-mono">Authorization: Bearer &lt;token&gt;</code> (scopes api or read_api); kubectl
              sends it as <code className="font-mono">pat:&lt;agent-id&gt;:&lt;token&gt;</code> (scope k8s_proxy), and
              an agent&apos;s <em>Connect with kubectl</em> tab makes a ready kubeconfig.
            </p>
          </TokenReveal>
        ) : (
          <CreateTokenForm<Omit<Created, "name">>
            key={once.formKey}
            idPrefix="pat"
            label="Create a personal access token"
            url="/api/user/tokens"
            listKey={KEY}
            nameHint="What it is for, e.g. the laptop it lives on."
            scopes={q.data?.scopes ?? ["k8s_proxy"]}
            scopeHelp={SCOPE_HELP}
            defaultScopes={DEFAULT_SCOPES}
            maxDays={MAX_DAYS}
            expiryHint={`From 1 to ${MAX_DAYS} days.`}
            submitLabel="Create token"
            onCreated={(c, body) => once.reveal({ ...c, name: body.name })}
          />
        )}
      </section>

      <section aria-labelledby="pat-list-heading">
        <h2 id="pat-list-heading" className="mb-3 text-lg font-semibold">
          Your tokens
        </h2>
        {q.isPending ? (
          <LoadingState label="Loading your tokens…" />
        ) : q.isError && !q.data ? (
          <ErrorState title="Could not load your tokens" message={q.error.message} onRetry={() => void q.refetch()} />
        ) : q.data!.tokens.length === 0 ? (
          <EmptyState title="No personal access tokens">
            <p>Create one to use kubectl with the clusters shared with you, or to call the REST API from a script.</p>
          </EmptyState>
        ) : (
          <DataTable
            caption="Your personal access tokens"
            columns={["Name", "Scopes", "Created", "Expires", "Last used", "Status"]}
            actions
          >
            {q.data!.tokens.map((t) => (
              <tr key={t.id}>
                <th scope="row" className="px-4 py-3 font-medium">
                  {t.name}
                </th>
                <td className="px-4 py-3 font-mono text-xs">{t.scopes.join(", ")}</td>
                <td className="px-4 py-3">
                  <UtcTime iso={t.createdAt} />
                </td>
                <td className="px-4 py-3">
                  <UtcTime iso={t.expiresAt} />
                </td>
                <td className="px-4 py-3">
                  <LastUsedCell iso={t.lastUsedAt} />
                </td>
                <td className="px-4 py-3">
                  <TokenStatusText status={t.status} revokedAt={t.revokedAt} />
                </td>
                <td className="px-4 py-3 text-right">
                  <RevokeTokenButton token={t} onRevoke={revocation.ask} />
                </td>
              </tr>
            ))}
          </DataTable>
        )}
      </section>

      <RevokeTokenDialog token={revocation.token} revoke={revocation.revoke} onCancel={revocation.cancel}>
        <p>kubectl and scripts using this token lose access within seconds. This cannot be undone.</p>
      </RevokeTokenDialog>
    </div>
  );
}
