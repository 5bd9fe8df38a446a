"use client";
// The agent's Receptive tab: whether kas dials this agent (its URL, how it proves itself, and kas's
// state: connected, or the error it meets and when it retries), and for maintainers the form that sets,
// changes or removes the URL configuration. The private key is never shown; the public key is, for the
// agent's Helm values.
import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { useState, type FormEvent } from "react";
import { ApiError, fetchJson } from "@/components/providers";
import { Button } from "@/components/ui/button";
import { ConfirmDialog } from "@/components/ui/confirm-dialog";
import { CopyButton } from "@/components/ui/copy-button";
import { DownloadButton } from "@/components/ui/download-button";
import { Field, TextAreaField } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { EmptyState, ErrorState, LoadingState } from "@/components/ui/states";
import { receptivePublicKeyFile } from "@/lib/agent-install";
import type { ReceptiveUrlView } from "@/lib/receptive";
import { POLL_MS } from "./api";
import { formatUtc } from "./format";

type Page = { receptive: ReceptiveUrlView | null; canManage: boolean };
const key = (agentId: string) => ["agent-receptive", agentId] as const;
const url = (agentId: string) => `/api/agents/${encodeURIComponent(agentId)}/receptive`;

function StateLine({ v }: { v: ReceptiveUrlView }) {
  const tone =
    v.state === "connected"
      ? "text-green-700 dark:text-green-400"
      : v.state === "failing"
        ? "text-red-700 dark:text-red-400"
        : "text-zinc-600 dark:text-zinc-400";
  const text =
    v.state === "connected"
      ? "Connected: kas dialled the agent"
      : v.state === "failing"
        ? (v.stateMessage ?? "kas cannot connect")
        : "Waiting for kas to dial the agent";
  return (
    <div role="status" className="space-y-1">
      <p className={`text-sm font-medium break-words ${tone}`}>{text}</p>
      <p className="text-xs text-zinc-500">
        Last successful contact: {v.lastConnectedAt ? formatUtc(v.lastConnectedAt) : "never"}
      </p>
    </div>
  );
}

function helmValues(publicKey: string): string {
  return [
    "receptive:",
    "  enabled: true",
    "  jwtPublicKey: |",
    ...publicKey
      .trim()
      .split("\n")
      .map((l) => `    ${l}`),
  ].join("\n");
}

function ReceptiveForm({
  agentId,
  current,
  onDone,
}: {
  agentId: string;
  current: ReceptiveUrlView | null;
  onDone: () => void;
}) {
  const queryClient = useQueryClient();
  const [method, setMethod] = useState<"jwt" | "mtls">(current?.authMethod ?? "jwt");
  const save = useMutation({
    mutationFn: (body: unknown) => fetchJson<Page>(url(agentId), { method: "PUT", body: JSON.stringify(body) }),
    onSuccess: () => {
      void queryClient.invalidateQueries({ queryKey: key(agentId) });
      onDone();
    },
  });
  const field = save.error instanceof ApiError ? save.error.field : undefined;
  const fieldError = (name: string) => (save.error && field === name ? save.error.message : undefined);
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const f = new FormData(e.currentTarget);
    const s = (n: string) => String(f.get(n) ?? "");
    save.mutate({
      url: s("url"),
      caCert: s("caCert") || null,
      tlsServerName: s("tlsServerName") || null,
      auth:
        method === "jwt"
          ? { method, rotateKey: f.get("rotateKey") === "on" }
          : { method, clientCert: s("clientCert"), clientKey: s("clientKey") },
    });
  };
  return (
    <form onSubmit={onSubmit} className="space-y-4" aria-label="Receptive URL configuration">
      <FormError message={save.error && !field ? save.error.message : undefined} />
      <Field
        id="receptive-url"
        name="url"
        label="Agent URL"
        required
        placeholder="grpcs://agent.cluster.example.com:443"
        defaultValue={current?.url}
        error={fieldError("url")}
        hint="Where kas dials the agent. grpc:// works too, but nothing is encrypted then."
      />
      <TextAreaField
        id="receptive-ca"
        name="caCert"
        label="CA certificate (optional)"
        defaultValue={current?.caCert ?? ""}
        error={fieldError("caCert")}
        hint="PEM. The CA that signed the agent's certificate; the system's CAs when empty."
      />
      <Field
        id="receptive-server-name"
        name="tlsServerName"
        label="TLS server name (optional)"
        defaultValue={current?.tlsServerName ?? ""}
        error={fieldError("tlsServerName")}
        hint="The name on the agent's certificate, when it is not the URL's host."
      />
      <fieldset className="space-y-2">
        <legend className="text-sm font-medium text-zinc-700 dark:text-zinc-300">
          How kas proves itself to the agent
        </legend>
        <label className="flex items-center gap-2 text-sm">
          <input type="radio" name="method" checked={method === "jwt"} onChange={() => setMethod("jwt")} />A key pair
          Tether generates (the agent gets the public key)
        </label>
        <label className="flex items-center gap-2 text-sm">
          <input type="radio" name="method" checked={method === "mtls"} onChange={() => setMethod("mtls")} />A client
          certificate (mTLS) that I upload
        </label>
      </fieldset>
      {method === "jwt" && current?.authMethod === "jwt" ? (
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" name="rotateKey" />
          Generate a new key pair (the agent must then be given the new public key)
        </label>
      ) : null}
      {method === "mtls" ? (
        <>
          <TextAreaField
            id="receptive-client-cert"
            name="clientCert"
            label="Client certificate"
            error={fieldError("auth.clientCert")}
            hint="PEM, signed by the CA the agent trusts for kas."
          />
          <TextAreaField
            id="receptive-client-key"
            name="clientKey"
            label="Client key"
            error={fieldError("auth.clientKey")}
            hint="PEM. Stored encrypted; never shown again."
          />
        </>
      ) : null}
      <div className="flex flex-wrap gap-2">
        <Button type="submit" disabled={save.isPending}>
          {save.isPending ? "Saving…" : "Save"}
        </Button>
        <Button type="button" variant="secondary" onClick={onDone}>
          Cancel
        </Button>
      </div>
    </form>
  );
}

export function ReceptivePanel({ agentId, agentName }: { agentId: string; agentName: string }) {
  const queryClient = useQueryClient();
  const q = useQuery({
    queryKey: key(agentId),
    queryFn: () => fetchJson<Page>(url(agentId)),
    refetchInterval: POLL_MS,
    staleTime: 0,
  });
  const [editing, setEditing] = useState(false);
  const [removing, setRemoving] = useState(false);
  const remove = useMutation({
    mutationFn: () => fetchJson(url(agentId), { method: "DELETE" }),
    onSuccess: () => {
      setRemoving(false);
      void queryClient.invalidateQueries({ queryKey: key(agentId) });
    },
  });

  if (q.isPending) return <LoadingState label="Loading the receptive configuration…" />;
  if (q.isError && !q.data)
    return (
      <ErrorState
        title="Could not load the receptive configuration"
        message={q.error.message}
        onRetry={() => void q.refetch()}
      />
    );
  const { receptive: v, canManage } = q.data!;

  if (editing) return <ReceptiveForm agentId={agentId} current={v} onDone={() => setEditing(false)} />;
  if (!v)
    return (
      <EmptyState
        title="The agent dials kas"
        action={
          canManage ? (
            <Button type="button" onClick={() => setEditing(true)}>
              Add a URL configuration
            </Button>
          ) : undefined
        }
      >
        This is an ordinary agent: it connects to Tether. If the cluster cannot reach Tether but Tether can reach the
        cluster, add a URL configuration and kas will dial the agent instead.
        {canManage ? null : " Maintainers can add one."}
      </EmptyState>
    );

  return (
    <div className="space-y-6">
      <section
        aria-label="Receptive agent"
        className="space-y-3 rounded-lg border border-zinc-200 p-4 dark:border-zinc-800"
      >
        <div className="flex flex-wrap items-center gap-2">
          <span className="rounded-full bg-indigo-100 px-2 py-0.5 text-xs font-medium text-indigo-800 dark:bg-indigo-950 dark:text-indigo-200">
            Receptive
          </span>
          <code className="text-sm break-all">{v.url}</code>
        </div>
        <StateLine v={v} />
        {!v.encrypted ? (
          <p role="alert" className="text-sm text-amber-700 dark:text-amber-400">
            This URL is not encrypted: the tunnel, tokens included, crosses the network in clear text. Use grpcs://.
          </p>
        ) : null}
        <dl className="grid grid-cols-1 gap-2 text-sm sm:grid-cols-[max-content_1fr] sm:gap-x-4">
          <dt className="text-zinc-500">Authentication</dt>
          <dd>
            {v.authMethod === "jwt"
              ? "Key pair generated by Tether (Ed25519)"
              : `Client certificate ${v.clientCertSubject ?? ""}`}
          </dd>
          <dt className="text-zinc-500">CA certificate</dt>
          <dd>{v.caCert ? "Set" : "The system's CAs"}</dd>
          <dt className="text-zinc-500">TLS server name</dt>
          <dd>{v.tlsServerName ?? "The URL's host"}</dd>
        </dl>
      </section>
      {v.publicKey ? (
        <section aria-label="Helm values" className="space-y-2">
          <h2 className="text-sm font-semibold">Helm values for the agent</h2>
          <pre className="overflow-x-auto rounded-md bg-zinc-100 p-3 text-xs dark:bg-zinc-900">
            {helmValues(v.publicKey)}
          </pre>
          <div className="flex flex-wrap gap-2">
            <CopyButton text={helmValues(v.publicKey)} label="Copy Helm values" />
            <DownloadButton
              text={v.publicKey}
              filename={receptivePublicKeyFile(agentName)}
              label={`Download the public key as ${receptivePublicKeyFile(agentName)}`}
              type="application/x-pem-file"
            />
          </div>
          <p className="text-xs text-zinc-500">
            The install commands read it as{" "}
            <code>--set-file receptive.jwtPublicKey={receptivePublicKeyFile(agentName)}</code>; after a new key pair,
            upgrade the release with the new file and kas reconnects by itself.
          </p>
        </section>
      ) : null}
      {canManage ? (
        <div className="flex flex-wrap gap-2">
          <Button type="button" onClick={() => setEditing(true)}>
            Change
          </Button>
          <Button type="button" variant="danger" onClick={() => setRemoving(true)}>
            Remove
          </Button>
        </div>
      ) : null}
      <ConfirmDialog
        open={removing}
        title="Remove the URL configuration?"
        confirmLabel="Remove"
        pending={remove.isPending}
        error={remove.error?.message}
        onConfirm={() => remove.mutate()}
        onCancel={() => setRemoving(false)}
      >
        kas stops dialling the agent. It becomes an ordinary agent that must reach Tether itself.
      </ConfirmDialog>
    </div>
  );
}
