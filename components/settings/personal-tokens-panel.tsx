"use client";
// The user's personal access tokens: create one (name, scopes, expiry), shown once with a copy button;
// the list (never the values) with status and last use; revoke after a confirmation.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { signIn } from "next-auth/react";
import { useEffect, useRef, useState, type FormEvent } from "react";
import { formatUtc } from "@/components/agents/format";
import { RelativeTime } from "@/components/agents/relative-time";
import { ApiError, fetchJson } from "@/components/providers";
import { Button } from "@/components/ui/button";
import { RevokeTokenButton, RevokeTokenDialog } from "@/components/ui/revoke-token-dialog";
import { CopyButton } from "@/components/ui/copy-button";
import { Field } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { EmptyState, ErrorState, LoadingState } from "@/components/ui/states";
import type { PersonalTokenRow, PersonalTokensView } from "@/lib/tokens/personal-tokens-view";

const KEY = ["personal-tokens"] as const;
const SCOPE_HELP: Record<string, string> = {
  api: "Read and write through Tether's REST API as you: projects, agents, their tokens and configuration.",
  read_api: "Only read through Tether's REST API (GET requests) as you.",
  k8s_proxy: "Use the Kubernetes API of shared clusters with kubectl, through Tether's agent server.",
};
/** Checked at first: what the form made before the REST API took tokens, and the narrowest. */
const DEFAULT_SCOPES = new Set(["k8s_proxy"]);

interface Created {
  id: string;
  token: string;
  expiresAt: string;
  name: string;
}

function CreateForm({ scopes, onCreated }: { scopes: readonly string[]; onCreated: (c: Created) => void }) {
  const queryClient = useQueryClient();
  const create = useMutation({
    mutationFn: (body: { name: string; scopes: string[]; expiresInDays: number }) =>
      fetchJson<Omit<Created, "name">>("/api/user/tokens", { method: "POST", body: JSON.stringify(body) }).then(
        (r) => ({ ...r, name: body.name }),
      ),
    onSuccess: (c) => {
      void queryClient.invalidateQueries({ queryKey: KEY });
      onCreated(c);
    },
  });
  const [daysError, setDaysError] = useState<string | undefined>();
  const error = create.error;
  const field = error instanceof ApiError ? error.field : undefined;
  const fieldError = (name: string) => (error && field === name ? error.message : undefined);
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const days = String(data.get("expiresInDays") ?? "").trim();
    // The server checks the range again; a number field can still hold "" or "1e3" here.
    if (!/^\d{1,3}$/.test(days)) {
      create.reset();
      setDaysError("Enter a whole number of days from 1 to 365");
      return;
    }
    setDaysError(undefined);
    create.mutate({
      name: String(data.get("name") ?? ""),
      scopes: data.getAll("scopes").map(String),
      expiresInDays: Number(days),
    });
  };
  return (
    <form onSubmit={onSubmit} noValidate aria-label="Create a personal access token" className="max-w-lg space-y-4">
      <FormError message={error && !field ? error.message : undefined} />
      <Field
        label="Token name"
        id="pat-name"
        name="name"
        required
        maxLength={100}
        error={fieldError("name")}
        hint="What it is for, e.g. the laptop it lives on."
      />
      <fieldset aria-describedby={fieldError("scopes") ? "pat-scopes-error" : undefined}>
        <legend className="text-sm font-medium text-zinc-700 dark:text-zinc-300">Scopes</legend>
        {scopes.map((s) => (
          <label key={s} className="mt-2 flex items-start gap-2 text-sm">
            <input type="checkbox" name="scopes" value={s} defaultChecked={DEFAULT_SCOPES.has(s)} className="mt-0.5" />
            <span>
              <span className="font-mono">{s}</span>
              {SCOPE_HELP[s] ? <span className="block text-xs text-zinc-500">{SCOPE_HELP[s]}</span> : null}
            </span>
          </label>
        ))}
        {fieldError("scopes") ? (
          <p id="pat-scopes-error" className="mt-1 text-sm text-red-600 dark:text-red-400">
            {fieldError("scopes")}
          </p>
        ) : null}
      </fieldset>
      <Field
        label="Expires after (days)"
        id="pat-expiry"
        name="expiresInDays"
        type="number"
        inputMode="numeric"
        min={1}
        max={365}
        defaultValue={30}
        required
        error={daysError ?? fieldError("expiresInDays")}
        hint="From 1 to 365 days."
      />
      <Button type="submit" disabled={create.isPending}>
        {create.isPending ? "Creating…" : "Create token"}
      </Button>
    </form>
  );
}

function Reveal({ created, onDone }: { created: Created; onDone: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  return (
    <section aria-labelledby="pat-reveal-heading" className="space-y-4">
      <h3 id="pat-reveal-heading" ref={heading} tabIndex={-1} className="text-base font-semibold focus:outline-none">
        Token {created.name} created
      </h3>
      <p
        role="note"
        className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-200"
      >
        Copy the token now: it is shown only this once. Tether keeps only its hash; if you lose it, create another one.
      </p>
      <div className="space-y-1">
        <label htmlFor="pat-value" className="block text-sm font-medium text-zinc-700 dark:text-zinc-300">
          Personal access token
        </label>
        <div className="flex flex-wrap items-center gap-3">
          <input
            id="pat-value"
            readOnly
            value={created.token}
            onFocus={(e) => e.currentTarget.select()}
            className="block min-w-0 flex-1 rounded-md border border-zinc-300 bg-zinc-50 px-3 py-2 font-mono text-sm dark:border-zinc-700 dark:bg-zinc-900"
          />
          <CopyButton text={created.token} label="Copy token" />
        </div>
      </div>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        It expires on <time dateTime={created.expiresAt}>{formatUtc(created.expiresAt)}</time>. Scripts send it to the
        REST API as <code className="font-mono">Authorization: Bearer &lt;token&gt;</code> (scopes api or read_api);
        kubectl sends it as <code className="font-mono">pat:&lt;agent-id&gt;:&lt;token&gt;</code> (scope k8s_proxy), and
        an agent&apos;s <em>Connect with kubectl</em> tab makes a ready kubeconfig.
      </p>
      <Button type="button" onClick={onDone}>
        I have copied the token
      </Button>
    </section>
  );
}

function StatusText({ t }: { t: PersonalTokenRow }) {
  if (t.status === "active") return <span className="font-medium text-green-700 dark:text-green-400">Active</span>;
  if (t.status === "expired") return <span className="text-zinc-500">Expired</span>;
  return (
    <span className="text-zinc-500" title={t.revokedAt ? formatUtc(t.revokedAt) : undefined}>
      Revoked
    </span>
  );
}

export function PersonalTokensPanel() {
  const queryClient = useQueryClient();
  const q = useQuery({
    queryKey: KEY,
    queryFn: () => fetchJson<PersonalTokensView>("/api/user/tokens"),
    refetchInterval: 30_000,
    staleTime: 0,
  });
  const [created, setCreated] = useState<Created | null>(null);
  const [formKey, setFormKey] = useState(0);
  const [revoking, setRevoking] = useState<PersonalTokenRow | null>(null);
  const expired = q.error instanceof ApiError && q.error.status === 401;
  useEffect(() => {
    if (expired) void signIn(undefined, { callbackUrl: "/settings/tokens" });
  }, [expired]);
  const revoke = useMutation({
    mutationFn: (id: string) => fetchJson(`/api/user/tokens/${encodeURIComponent(id)}`, { method: "DELETE" }),
    onSuccess: () => {
      setRevoking(null);
      void queryClient.invalidateQueries({ queryKey: KEY });
    },
  });

  return (
    <div className="space-y-8">
      <section aria-labelledby="pat-new-heading" className="rounded-lg border border-zinc-200 p-6 dark:border-zinc-800">
        <h2 id="pat-new-heading" className="mb-4 text-lg font-semibold">
          {created ? "Your new token" : "Create a token"}
        </h2>
        {created ? (
          <Reveal
            created={created}
            onDone={() => {
              setCreated(null);
              setFormKey((k) => k + 1);
            }}
          />
        ) : (
          <CreateForm key={formKey} scopes={q.data?.scopes ?? ["k8s_proxy"]} onCreated={setCreated} />
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
          <div className="relative overflow-x-auto rounded-lg border border-zinc-200 dark:border-zinc-800">
            <table className="w-full text-left text-sm">
              <caption className="sr-only">Your personal access tokens</caption>
              <thead className="border-b border-zinc-200 bg-zinc-50 text-zinc-500 dark:border-zinc-800 dark:bg-zinc-900">
                <tr>
                  <th scope="col" className="px-4 py-2 font-medium">
                    Name
                  </th>
                  <th scope="col" className="px-4 py-2 font-medium">
                    Scopes
                  </th>
                  <th scope="col" className="px-4 py-2 font-medium">
                    Created
                  </th>
                  <th scope="col" className="px-4 py-2 font-medium">
                    Expires
                  </th>
                  <th scope="col" className="px-4 py-2 font-medium">
                    Last used
                  </th>
                  <th scope="col" className="px-4 py-2 font-medium">
                    Status
                  </th>
                  <th scope="col" className="px-4 py-2 font-medium">
                    <span className="sr-only">Actions</span>
                  </th>
                </tr>
              </thead>
              <tbody className="divide-y divide-zinc-100 dark:divide-zinc-900">
                {q.data!.tokens.map((t) => (
                  <tr key={t.id}>
                    <th scope="row" className="px-4 py-3 font-medium">
                      {t.name}
                    </th>
                    <td className="px-4 py-3 font-mono text-xs">{t.scopes.join(", ")}</td>
                    <td className="px-4 py-3">
                      <time dateTime={t.createdAt}>{formatUtc(t.createdAt)}</time>
                    </td>
                    <td className="px-4 py-3">
                      <time dateTime={t.expiresAt}>{formatUtc(t.expiresAt)}</time>
                    </td>
                    <td className="px-4 py-3">
                      <RelativeTime iso={t.lastUsedAt} never="Never used" />
                    </td>
                    <td className="px-4 py-3">
                      <StatusText t={t} />
                    </td>
                    <td className="px-4 py-3 text-right">
                      <RevokeTokenButton
                        token={t}
                        onRevoke={(token) => {
                          revoke.reset();
                          setRevoking(token);
                        }}
                      />
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
        )}
      </section>

      <RevokeTokenDialog token={revoking} revoke={revoke} onCancel={() => setRevoking(null)}>
        <p>kubectl and scripts using this token lose access within seconds. This cannot be undone.</p>
      </RevokeTokenDialog>
    </div>
  );
}
