"use client";
// "Connect with kubectl": for a person, a button that creates a personal access token and the
// kubeconfig that uses it (shown once, with copy and download); for CI jobs, how a job gets its
// KUBECONFIG and the API that mints a job token.
import { useMutation } from "@tanstack/react-query";
import { useEffect, useRef } from "react";
import { fetchJson } from "@/components/providers";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { DownloadButton } from "@/components/ui/download-button";
import { FormError } from "@/components/ui/form-error";
import type { ConnectView, PersonalKubeconfig } from "@/lib/kubectl-access";
import { AddressWarnings } from "./address-warnings";
import { formatUtc } from "./format";

const ACCESS_AS: Record<string, string> = {
  agent: "as the agent (its service account)",
  user: "impersonating you (tether:user:<username>)",
  ci_job: "impersonating the job (tether:ci_job:<id>)",
};

function Code({ label, children }: { label: string; children: string }) {
  return (
    <pre
      aria-label={label}
      tabIndex={0}
      className="overflow-x-auto rounded-md bg-zinc-900 p-3 text-xs text-zinc-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500"
    >
      <code>{children}</code>
    </pre>
  );
}

/** Single-quotes for a POSIX shell (context names hold ':' and '/'). */
const sq = (s: string) => `'${s.replaceAll("'", `'"'"'`)}'`;

function KubeconfigReveal({
  created,
  agentName,
  onDone,
}: {
  created: PersonalKubeconfig;
  agentName: string;
  onDone: () => void;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const file = `tether-${agentName}.kubeconfig`;
  return (
    <section aria-labelledby="kubeconfig-heading" className="space-y-4">
      <h3 id="kubeconfig-heading" ref={heading} tabIndex={-1} className="text-base font-semibold focus:outline-none">
        Your kubeconfig for {created.contextName}
      </h3>
      <p
        role="note"
        className="rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-200"
      >
        Save it now: it holds a new personal access token (<strong>{created.tokenName}</strong>, expires{" "}
        {formatUtc(created.expiresAt)}) that is shown only this once. Keep the file private; revoke the token on your{" "}
        <a href="/settings/tokens" className="underline">
          Access tokens
        </a>{" "}
        page when you no longer need it.
      </p>
      <Code label="Kubeconfig">{created.kubeconfig}</Code>
      <div className="flex flex-wrap gap-3">
        <CopyButton text={created.kubeconfig} label="Copy kubeconfig" />
        <DownloadButton text={created.kubeconfig} filename={file} label="Download kubeconfig" />
      </div>
      <div className="space-y-2">
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Then, with the file saved as <code>~/.kube/{file}</code>:
        </p>
        <Code label="kubectl with the kubeconfig">{`export KUBECONFIG=~/.kube/${file}\nkubectl --context ${sq(created.contextName)} get namespaces`}</Code>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Every kubectl command goes through the agent&apos;s tunnel, <code>logs -f</code>, <code>exec</code> and{" "}
          <code>port-forward</code> included; the cluster&apos;s RBAC decides what you may do, and writes and sessions
          are recorded in the project&apos;s audit log.
        </p>
      </div>
      <Button type="button" onClick={onDone}>
        I have saved the kubeconfig
      </Button>
    </section>
  );
}

export function ConnectKubectl({ view }: { view: ConnectView }) {
  const create = useMutation({
    mutationFn: () =>
      fetchJson<PersonalKubeconfig>(`/api/agents/${encodeURIComponent(view.agentId)}/kubeconfig`, {
        method: "POST",
        body: "{}",
      }),
  });
  // Focus returns to the button when the kubeconfig is put away (the button mounts again then).
  const refocus = useRef(false);
  const createButton = (el: HTMLButtonElement | null) => {
    if (el && refocus.current) {
      refocus.current = false;
      el.focus();
    }
  };
  const done = () => {
    refocus.current = true;
    create.reset();
  };
  const mint = `curl -sS -X POST ${view.webUrl}/api/projects/${view.project.id}/ci-job-tokens \\\n  -H 'content-type: application/json' -b "$TETHER_SESSION_COOKIE" \\\n  -d '{"jobName":"deploy","ttlMinutes":60}' | jq -r .kubeconfig > job.kubeconfig`;
  const job = [
    "deploy:",
    "  # KUBECONFIG is a file variable holding the job's kubeconfig (the mint API's `kubeconfig` field),",
    "  # one context per agent the project may use, named <project-path>:<agent-name>.",
    "  variables:",
    "    KUBECONFIG: $TETHER_KUBECONFIG",
    "  script:",
    "    - kubectl config get-contexts",
    `    - kubectl --context ${sq(view.contextName)} apply -f k8s/`,
  ].join("\n");

  return (
    <div className="max-w-3xl space-y-10">
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        kubectl reaches this cluster through Tether&apos;s agent server at{" "}
        <code className="font-mono">{view.server}</code>: the request travels through the agent&apos;s tunnel, so the
        cluster needs no inbound access. Who may connect, and as whom, is set by the agent&apos;s configuration (
        <code>user_access</code> and <code>ci_access</code>); the cluster&apos;s RBAC has the last word.
        {view.caEmbedded ? " Kubeconfigs embed the server's certificate authority." : null}
      </p>
      <AddressWarnings warnings={view.warnings.kubeconfig} label="Kubeconfig address warnings" />

      <section aria-labelledby="connect-person-heading" className="space-y-4">
        <h2 id="connect-person-heading" className="text-lg font-semibold">
          From your computer
        </h2>
        {view.access.allowed ? (
          <p className="text-sm">
            You may use this agent {ACCESS_AS[view.access.accessAs]}, through{" "}
            {[
              ...view.access.via.projects.map((p) => `project ${p}`),
              ...view.access.via.groups.map((g) => `group ${g}`),
            ].join(", ")}
            .
          </p>
        ) : (
          <p
            role="status"
            className="rounded-md bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:bg-amber-950 dark:text-amber-200"
          >
            {view.access.reason} A kubeconfig made now is refused by the agent server until a maintainer shares the
            agent with you.
          </p>
        )}
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          The button creates a personal access token (scope <code>k8s_proxy</code>, valid 30 days) and a kubeconfig with
          the context <code className="font-mono">{view.contextName}</code> that uses it.
        </p>
        {create.data ? (
          <div className="rounded-lg border border-zinc-200 p-6 dark:border-zinc-800">
            <KubeconfigReveal created={create.data} agentName={view.agentName} onDone={done} />
          </div>
        ) : (
          <div className="space-y-3">
            <FormError message={create.error?.message} />
            <Button ref={createButton} type="button" disabled={create.isPending} onClick={() => create.mutate()}>
              {create.isPending ? "Creating…" : "Create kubeconfig"}
            </Button>
          </div>
        )}
      </section>

      <section aria-labelledby="connect-ci-heading" className="space-y-4">
        <h2 id="connect-ci-heading" className="text-lg font-semibold">
          From a CI job
        </h2>
        <AddressWarnings warnings={view.warnings.ci} label="CI address warnings" />
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          A CI job authenticates with a short-lived job token bound to its project, sent as{" "}
          <code className="font-mono">ci:{view.agentId}:&lt;job-token&gt;</code>. CI jobs of these projects may use this
          agent:
        </p>
        <ul className="list-inside list-disc text-sm">
          {view.ciGrants.map((g) => (
            <li key={`${g.kind}:${g.path}`}>
              {g.kind === "group" ? "every project in group " : ""}
              <span className="font-mono">{g.path}</span>
              {g.own ? " (the agent's own project)" : ""} — {ACCESS_AS[g.accessAs]}
              {g.defaultNamespace ? (
                <>
                  , namespace <span className="font-mono">{g.defaultNamespace}</span>
                </>
              ) : null}
            </li>
          ))}
        </ul>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          When a job starts, the CI system mints its token with{" "}
          <code className="font-mono">POST /api/projects/&lt;project-id&gt;/ci-job-tokens</code> (body{" "}
          <code className="font-mono">{"{jobName, ttlMinutes}"}</code>, a developer of the project). The answer has the
          token, a credential and kubeconfig for every agent the project may use, and one <code>kubeconfig</code> with
          all their contexts, for the job&apos;s <code>KUBECONFIG</code> variable.
          {view.canMintForProject ? ` For this project (id ${view.project.id}):` : null}
        </p>
        {view.canMintForProject ? <Code label="Mint a CI job token">{mint}</Code> : null}
        <Code label="CI job">{job}</Code>
      </section>
    </div>
  );
}
