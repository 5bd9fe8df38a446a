"use client";
// A project's trusted CI identities: the list (loading, empty, error states), and for maintainers a form
// with presets for GitHub Actions and GitLab CI, and removal after a confirmation.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { ApiError, fetchJson } from "@/components/providers";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { Field } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { EmptyState, ErrorState, LoadingState } from "@/components/ui/states";
import type { CiIdentityView } from "@/lib/ci-oidc/identities";
import { CI_IDENTITY_PRESETS } from "@/lib/ci-oidc/presets";

export const ciIdentityKeys = { list: (projectId: string) => ["ci-identities", projectId] as const };

/** `claim = value` per line, as the form shows conditions. */
const conditionsText = (c: Record<string, string>) =>
  Object.entries(c)
    .map(([k, v]) => `${k} = ${v}`)
    .join("\n");

function parseConditionLines(text: string): Record<string, string> | string {
  const out: Record<string, string> = {};
  for (const [n, raw] of text.split("\n").entries()) {
    const line = raw.trim();
    if (!line) continue;
    const eq = line.indexOf("=");
    if (eq <= 0) return `Line ${n + 1}: write each condition as claim = value`;
    out[line.slice(0, eq).trim()] = line.slice(eq + 1).trim();
  }
  return out;
}

function AddIdentityForm({ projectId, audience }: { projectId: string; audience: string }) {
  const queryClient = useQueryClient();
  const [preset, setPreset] = useState<string>("github");
  const chosen = CI_IDENTITY_PRESETS.find((p) => p.key === preset);
  const [localError, setLocalError] = useState<string | undefined>();
  const [added, setAdded] = useState<string | undefined>();
  const create = useMutation({
    mutationFn: (body: unknown) =>
      fetchJson<CiIdentityView>(`/api/projects/${projectId}/ci-identities`, {
        method: "POST",
        body: JSON.stringify(body),
      }),
    onSuccess: (made) => {
      setAdded(made.name);
      void queryClient.invalidateQueries({ queryKey: ciIdentityKeys.list(projectId) });
    },
  });
  const error = create.error;
  const field = error instanceof ApiError ? error.field : undefined;
  const fieldError = (name: string) =>
    error && field && (field === name || field.startsWith(`${name}.`)) ? error.message : undefined;
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    setAdded(undefined);
    const data = new FormData(e.currentTarget);
    const conditions = parseConditionLines(String(data.get("conditions") ?? ""));
    if (typeof conditions === "string") {
      create.reset();
      setLocalError(conditions);
      return;
    }
    setLocalError(undefined);
    create.mutate({
      name: String(data.get("name") ?? ""),
      issuer: String(data.get("issuer") ?? ""),
      audience: String(data.get("audience") ?? ""),
      conditions,
    });
  };
  const conditionsError = localError ?? fieldError("conditions");
  return (
    <form
      onSubmit={onSubmit}
      noValidate
      aria-label="Trust a CI identity"
      className="max-w-lg space-y-4 rounded-lg border border-zinc-200 p-4 dark:border-zinc-800"
    >
      <h3 className="text-base font-semibold">Trust a CI identity</h3>
      <fieldset className="space-y-1">
        <legend className="text-sm font-medium text-zinc-700 dark:text-zinc-300">Preset</legend>
        <div className="flex flex-wrap gap-4">
          {[
            ...CI_IDENTITY_PRESETS.map((p) => ({ key: p.key, label: p.label })),
            { key: "custom", label: "Other issuer" },
          ].map((p) => (
            <label key={p.key} className="flex items-center gap-2 text-sm">
              <input
                type="radio"
                name="preset"
                value={p.key}
                checked={preset === p.key}
                onChange={() => {
                  setPreset(p.key);
                  create.reset();
                  setLocalError(undefined);
                }}
              />
              {p.label}
            </label>
          ))}
        </div>
      </fieldset>
      <FormError message={error && !field ? error.message : undefined} />
      {/* Keyed by the preset: choosing another one starts its fields afresh, the radios keep focus. */}
      <div key={preset} className="space-y-4">
        <Field
          label="Name"
          id="ci-identity-name"
          name="name"
          required
          maxLength={100}
          defaultValue={chosen ? `${chosen.label} deploys` : ""}
          error={fieldError("name")}
        />
        <Field
          label="Issuer URL"
          id="ci-identity-issuer"
          name="issuer"
          required
          defaultValue={chosen?.issuer ?? ""}
          error={fieldError("issuer")}
          hint={
            preset === "gitlab"
              ? "For a self-managed GitLab, its own URL."
              : "The iss claim of the job's ID token (https://)."
          }
        />
        <Field
          label="Audience"
          id="ci-identity-audience"
          name="audience"
          required
          defaultValue={audience}
          error={fieldError("audience")}
          hint="The aud the job asks its ID token for; the snippets use this installation's URL."
        />
        <div className="space-y-1">
          <label
            htmlFor="ci-identity-conditions"
            className="block text-sm font-medium text-zinc-700 dark:text-zinc-300"
          >
            Claim conditions
          </label>
          <textarea
            id="ci-identity-conditions"
            name="conditions"
            rows={3}
            defaultValue={chosen ? conditionsText(chosen.conditions) : ""}
            aria-invalid={conditionsError ? true : undefined}
            aria-describedby={conditionsError ? "ci-identity-conditions-error" : "ci-identity-conditions-hint"}
            className={`block w-full rounded-md border bg-white px-3 py-2 font-mono text-sm shadow-sm focus:outline-none focus:ring-2 focus:ring-indigo-500 dark:bg-zinc-900 ${conditionsError ? "border-red-500" : "border-zinc-300 dark:border-zinc-700"}`}
          />
          {conditionsError ? (
            <p id="ci-identity-conditions-error" className="text-sm text-red-600 dark:text-red-400">
              {conditionsError}
            </p>
          ) : (
            <p id="ci-identity-conditions-hint" className="text-xs text-zinc-500">
              One <code>claim = value</code> per line; every one must match exactly.
            </p>
          )}
        </div>
      </div>
      {added ? (
        <p role="status" className="text-sm text-green-700 dark:text-green-400">
          Trusted “{added}”.
        </p>
      ) : null}
      <Button type="submit" disabled={create.isPending}>
        {create.isPending ? "Adding…" : "Trust this identity"}
      </Button>
    </form>
  );
}

export function TrustedIdentitiesPanel({
  projectId,
  canManage,
  audience,
}: {
  projectId: string;
  canManage: boolean;
  audience: string;
}) {
  const queryClient = useQueryClient();
  const list = useQuery({
    queryKey: ciIdentityKeys.list(projectId),
    queryFn: () => fetchJson<{ identities: CiIdentityView[] }>(`/api/projects/${projectId}/ci-identities`),
  });
  const [removing, setRemoving] = useState<CiIdentityView | null>(null);
  const remove = useMutation({
    mutationFn: (id: string) => fetchJson<null>(`/api/projects/${projectId}/ci-identities/${id}`, { method: "DELETE" }),
    onSuccess: () => {
      setRemoving(null);
      void queryClient.invalidateQueries({ queryKey: ciIdentityKeys.list(projectId) });
    },
  });

  return (
    <section aria-labelledby="ci-identities-heading" className="max-w-3xl space-y-4">
      <h2 id="ci-identities-heading" className="text-lg font-semibold">
        Trusted CI identities
      </h2>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        CI jobs whose OIDC ID token comes from one of these issuers, for its audience, with every claim condition met,
        get this project&apos;s CI job credentials at <code className="font-mono">POST /api/ci/credentials</code>.
      </p>
      {list.isPending ? (
        <LoadingState label="Loading trusted CI identities…" />
      ) : list.isError ? (
        <ErrorState
          title="Could not load the trusted CI identities"
          message={list.error.message}
          onRetry={() => void list.refetch()}
        />
      ) : list.data.identities.length === 0 ? (
        <EmptyState title="No trusted CI identities">
          No CI job can trade an ID token for credentials of this project yet.
          {canManage ? " Add GitHub Actions, GitLab CI or another OIDC issuer below." : " A maintainer can add one."}
        </EmptyState>
      ) : (
        <ul
          aria-label="Trusted CI identities"
          className="divide-y divide-zinc-200 rounded-lg border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800"
        >
          {list.data.identities.map((i) => (
            <li key={i.id} className="flex flex-wrap items-start justify-between gap-3 p-4">
              <div className="min-w-0 space-y-1 text-sm">
                <p className="font-medium">{i.name}</p>
                <p className="break-all text-zinc-600 dark:text-zinc-400">
                  Issuer <span className="font-mono">{i.issuer}</span>, audience{" "}
                  <span className="font-mono">{i.audience}</span>
                </p>
                <p className="break-all font-mono text-xs">
                  {Object.entries(i.conditions)
                    .map(([k, v]) => `${k} = ${v}`)
                    .join(", ")}
                </p>
              </div>
              {canManage ? (
                <Button type="button" variant="secondary" onClick={() => setRemoving(i)}>
                  Remove<span className="sr-only"> {i.name}</span>
                </Button>
              ) : null}
            </li>
          ))}
        </ul>
      )}
      {canManage ? <AddIdentityForm projectId={projectId} audience={audience} /> : null}
      <ConfirmDialog
        open={removing !== null}
        title={`Stop trusting “${removing?.name ?? ""}”?`}
        confirmLabel="Remove"
        pending={remove.isPending}
        error={remove.error?.message}
        onConfirm={() => removing && remove.mutate(removing.id)}
        onCancel={() => {
          setRemoving(null);
          remove.reset();
        }}
      >
        CI jobs from this issuer will be refused from now on; credentials already issued expire within their hour.
      </ConfirmDialog>
    </section>
  );
}
