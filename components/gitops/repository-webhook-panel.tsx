"use client";
// The project's repository webhook on its Settings tab: whether there is one and its URL (loading, error
// and empty states), the secret once after creating or rotating it, rotate and delete for maintainers
// (each confirmed), and copy-paste steps for GitLab, GitHub and Gitea/Forgejo.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState } from "react";
import { fetchJson } from "@/components/providers";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { CopyButton } from "@/components/ui/copy-button";
import { FormError } from "@/components/ui/form-error";
import { EmptyState, ErrorState, LoadingState } from "@/components/ui/states";
import { forgeInstructions } from "@/lib/gitops/instructions";
import type { RepositoryWebhookSecret, RepositoryWebhookView } from "@/lib/gitops/webhook";

export const repositoryWebhookKeys = { detail: (projectId: string) => ["repository-webhook", projectId] as const };

function Instructions({ url }: { url: string }) {
  const [forge, setForge] = useState<"gitlab" | "github" | "gitea">("gitlab");
  const all = forgeInstructions(url);
  const chosen = all.find((f) => f.forge === forge)!;
  return (
    <div className="space-y-3">
      <div role="radiogroup" aria-label="Forge" className="flex flex-wrap gap-4">
        {all.map((f) => (
          <label key={f.forge} className="flex items-center gap-2 text-sm">
            <input
              type="radio"
              name="forge"
              value={f.forge}
              checked={forge === f.forge}
              onChange={() => setForge(f.forge)}
            />
            {f.title}
          </label>
        ))}
      </div>
      <ol aria-label={`Steps for ${chosen.title}`} className="list-decimal space-y-1 pl-5 text-sm">
        {chosen.steps.map((s) => (
          <li key={s} className="break-words">
            {s}
          </li>
        ))}
      </ol>
    </div>
  );
}

export function RepositoryWebhookPanel({ projectId }: { projectId: string }) {
  const queryClient = useQueryClient();
  const key = repositoryWebhookKeys.detail(projectId);
  const view = useQuery({
    queryKey: key,
    queryFn: () => fetchJson<RepositoryWebhookView>(`/api/projects/${projectId}/repository-webhook`),
  });
  const [secret, setSecret] = useState<RepositoryWebhookSecret | null>(null);
  const [confirm, setConfirm] = useState<"rotate" | "delete" | null>(null);
  const create = useMutation({
    mutationFn: () =>
      fetchJson<RepositoryWebhookSecret>(`/api/projects/${projectId}/repository-webhook`, { method: "POST" }),
    onSuccess: (made) => {
      setSecret(made);
      setConfirm(null);
      void queryClient.invalidateQueries({ queryKey: key });
    },
  });
  const remove = useMutation({
    mutationFn: () => fetchJson<null>(`/api/projects/${projectId}/repository-webhook`, { method: "DELETE" }),
    onSuccess: () => {
      setSecret(null);
      setConfirm(null);
      void queryClient.invalidateQueries({ queryKey: key });
    },
  });

  return (
    <section aria-labelledby="repository-webhook-heading" className="max-w-3xl space-y-4">
      <h2 id="repository-webhook-heading" className="text-lg font-semibold">
        Repository webhook
      </h2>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        A push to your repository reaches Tether at once; every agent this project may use (its own, and those sharing
        with it through <code className="font-mono">ci_access</code>) asks Flux to reconcile the GitRepository objects
        that follow that repository, instead of waiting for Flux&apos;s interval.
      </p>
      {view.isPending ? (
        <LoadingState label="Loading the repository webhook…" />
      ) : view.isError ? (
        <ErrorState
          title="Could not load the repository webhook"
          message={view.error.message}
          onRetry={() => void view.refetch()}
        />
      ) : !view.data.exists ? (
        <EmptyState
          title="No repository webhook"
          action={
            view.data.canManage ? (
              <Button type="button" onClick={() => create.mutate()} disabled={create.isPending}>
                {create.isPending ? "Creating…" : "Create webhook"}
              </Button>
            ) : undefined
          }
        >
          Pushes reach the cluster only at Flux&apos;s own interval.
          {view.data.canManage ? "" : " A maintainer can create the webhook."}
        </EmptyState>
      ) : (
        <div className="space-y-4">
          <div className="space-y-1">
            <p className="text-sm font-medium">Webhook URL</p>
            <div className="flex flex-wrap items-center gap-2">
              <code className="break-all rounded bg-zinc-100 px-2 py-1 font-mono text-sm dark:bg-zinc-900">
                {view.data.url}
              </code>
              <CopyButton text={view.data.url ?? ""} label="Copy webhook URL" />
            </div>
            {view.data.loopback ? (
              <p role="note" className="text-sm text-amber-700 dark:text-amber-400">
                This URL is on loopback: a forge on another machine cannot reach it. Set TETHER_PUBLIC_URL.
              </p>
            ) : null}
            <p className="text-xs text-zinc-500">
              {view.data.lastDeliveryAt
                ? `Last push received ${new Date(view.data.lastDeliveryAt).toLocaleString()}.`
                : "No push received yet."}
            </p>
          </div>
          {secret ? (
            <div role="status" className="space-y-2 rounded-lg border border-green-300 p-4 dark:border-green-800">
              <p className="text-sm font-medium">Secret (shown this once; paste it into your forge now)</p>
              <div className="flex flex-wrap items-center gap-2">
                <code className="break-all font-mono text-sm">{secret.secret}</code>
                <CopyButton text={secret.secret} label="Copy secret" />
              </div>
            </div>
          ) : null}
          {view.data.canManage ? (
            <div className="flex flex-wrap gap-2">
              <Button type="button" variant="secondary" onClick={() => setConfirm("rotate")}>
                Rotate secret
              </Button>
              <Button type="button" variant="secondary" onClick={() => setConfirm("delete")}>
                Delete webhook
              </Button>
            </div>
          ) : null}
          <FormError message={create.error && !confirm ? create.error.message : undefined} />
          <Instructions url={view.data.url ?? ""} />
        </div>
      )}
      <ConfirmDialog
        open={confirm !== null}
        title={confirm === "rotate" ? "Rotate the webhook secret?" : "Delete the repository webhook?"}
        confirmLabel={confirm === "rotate" ? "Rotate" : "Delete"}
        pending={create.isPending || remove.isPending}
        error={(confirm === "rotate" ? create.error : remove.error)?.message}
        onConfirm={() => (confirm === "rotate" ? create.mutate() : remove.mutate())}
        onCancel={() => {
          setConfirm(null);
          create.reset();
          remove.reset();
        }}
      >
        {confirm === "rotate"
          ? "The current secret stops working at once: deliveries signed with it are refused until you paste the new one into your forge."
          : "Deliveries to this URL will be refused with 404; the recorded pushes stay."}
      </ConfirmDialog>
    </section>
  );
}
