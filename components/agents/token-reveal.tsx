"use client";
// An agent's token, shown this once (components/tokens/token-reveal), with the commands that install the agent
// with it: from Tether's own Helm repository (the token as a value, or in a Secret made from a file), the image
// in the admin's own registry, how to rotate the token later, and the plain manifest.
import { useState, type ReactNode } from "react";
import { TokenReveal } from "@/components/tokens/token-reveal";
import { CopyButton } from "@/components/ui/copy-button";
import { DownloadButton } from "@/components/ui/download-button";
import { Field } from "@/components/ui/field";
import { installCommands, type ImageOverride } from "@/lib/agent-install";
import { AddressWarnings } from "./address-warnings";
import type { CreatedToken } from "./api";

function Command({ label, text }: { label: string; text: string }) {
  return (
    <div className="space-y-2">
      <pre
        aria-label={label}
        tabIndex={0}
        className="overflow-x-auto rounded-md bg-zinc-900 p-3 text-xs text-zinc-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500"
      >
        <code>{text}</code>
      </pre>
      <CopyButton text={text} label={`Copy: ${label}`} />
    </div>
  );
}

// A Docker image name (optionally with a registry host:port) and tag, as `docker build -t` accepts them.
const REPOSITORY = /^[a-z0-9]+(?:[._-][a-z0-9]+)*(?::\d+)?(?:\/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*$/;
const TAG = /^\w[\w.-]{0,127}$/;

function useImageOverride(defaultTag: string) {
  const [repository, setRepository] = useState("");
  const [tag, setTag] = useState("");
  const repo = repository.trim();
  const t = tag.trim() || defaultTag;
  const repositoryError =
    repo && !REPOSITORY.test(repo)
      ? "Lower-case letters, digits, '.', '_', '-' and '/', optionally after a registry host:port, e.g. registry.example.com/tether/agent"
      : undefined;
  const tagError = !TAG.test(t) ? "Letters, digits, '_', '.' and '-', at most 128 characters" : undefined;
  const image: ImageOverride | null = repo && !repositoryError && !tagError ? { repository: repo, tag: t } : null;
  return { repository, setRepository, tag, setTag, repositoryError, tagError, image };
}

export function AgentTokenReveal({
  created,
  agentName,
  onDone,
  children,
  receptive = false,
}: {
  created: CreatedToken;
  agentName: string;
  onDone: () => void;
  children?: ReactNode;
  /** kas dials this agent: the commands install its listener instead of pointing it at kas. */
  receptive?: boolean;
}) {
  const { token, install } = created;
  const own = useImageOverride(install.params.chartVersion);
  const commands = installCommands({ ...install.params, image: own.image, receptive });
  // A receptive agent never dials kas, so kas's public agent address does not matter to it.
  const warnings = receptive
    ? install.warnings.filter((w) => w.setting !== "TETHER_KAS_PUBLIC_AGENT_URL")
    : install.warnings;
  const manifest = receptive ? install.receptiveManifest : install.manifest;
  return (
    <TokenReveal
      idPrefix="agent-token"
      title={`Token for ${agentName} created`}
      valueLabel="Agent token"
      token={token}
      actions={
        <DownloadButton
          text={token}
          filename={commands.tokenFile}
          label={`Download as ${commands.tokenFile}`}
          type="text/plain"
        />
      }
      className="space-y-5"
      onDone={onDone}
    >
      <AddressWarnings warnings={warnings} label="Address warnings" />

      <div className="space-y-3">
        <h4 className="text-sm font-semibold">Install with Helm</h4>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Tether serves the agent&apos;s chart, <code>tether-agent</code> {install.params.chartVersion}, from its own
          Helm repository at <code className="font-mono">{install.params.chartRepoUrl}</code>; no checkout of Tether is
          needed.{" "}
          {commands.receptive ? (
            <>
              Tether&apos;s kas dials this agent: it listens with TLS behind the Service{" "}
              <code className="font-mono">{commands.receptive.serviceName}</code> (port 443). First create the Secret
              with its certificate and key, and save the public key from the agent&apos;s Receptive tab as{" "}
              <code className="font-mono">{commands.receptive.publicKeyFile}</code>.
            </>
          ) : (
            <>
              The agent dials kas at <code className="font-mono">{install.kasAddress}</code>.
            </>
          )}
        </p>
        <Command label="Add the Helm repository" text={commands.repoAdd} />
        <Command label="Helm command" text={commands.helm} />
        <details className="space-y-2">
          <summary className="cursor-pointer text-sm font-semibold focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500">
            Keep the token out of shell history: install with a Secret
          </summary>
          <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">
            Download the token as <code>{commands.tokenFile}</code> (the button above), or paste it into that file with
            an editor; then, from its folder, create the Secret from the file and point the chart at it with{" "}
            <code>config.existingSecret</code>. The token is typed on no command line and stays out of Helm&apos;s
            release values.
          </p>
          <Command label="Helm command with a Secret" text={commands.helmWithSecret} />
        </details>
        <details className="space-y-2">
          <summary className="cursor-pointer text-sm font-semibold focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500">
            Rotate the token later
          </summary>
          <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">
            An agent may have two active tokens, so it can switch without downtime. With the Secret above:
          </p>
          <Command label="Rotate the token" text={commands.rotate} />
        </details>
      </div>

      <div className="space-y-3">
        <h4 className="text-sm font-semibold">The agent image</h4>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          The chart runs <code className="font-mono">{commands.image}</code>
          {own.image ? "" : " by default"}. Tether does not publish that image to a public registry: build it from
          Tether&apos;s source at version {install.params.chartVersion} and push it to a registry your cluster pulls
          from, then name it here and the commands above use it.
        </p>
        <div className="grid max-w-2xl gap-4 sm:grid-cols-[2fr_1fr]">
          <Field
            label="Image repository (your registry)"
            id="agent-image-repository"
            value={own.repository}
            onChange={(e) => own.setRepository(e.target.value)}
            placeholder="registry.example.com/tether/agent"
            autoComplete="off"
            spellCheck={false}
            error={own.repositoryError}
          />
          <Field
            label="Image tag"
            id="agent-image-tag"
            value={own.tag}
            onChange={(e) => own.setTag(e.target.value)}
            placeholder={install.params.chartVersion}
            autoComplete="off"
            spellCheck={false}
            error={own.tagError}
          />
        </div>
        <Command label="Build and push the image" text={commands.imageBuild} />
      </div>

      <details className="space-y-2">
        <summary className="cursor-pointer text-sm font-semibold focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500">
          Or install with kubectl (plain manifest)
        </summary>
        <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">
          Save it as <code>tether-agent.yaml</code> and run <code>kubectl apply -f tether-agent.yaml</code>. It contains
          the token: delete the file afterwards. It runs the chart&apos;s default image; change <code>image:</code> for
          your own.
          {receptive
            ? " Before applying it, replace JWT_PUBLIC_KEY with the public key from the Receptive tab and create the Secret tether-agent-receptive-tls with the agent's certificate and key (as its first lines say)."
            : ""}
        </p>
        <pre
          aria-label="Agent manifest"
          tabIndex={0}
          className="max-h-80 overflow-auto rounded-md bg-zinc-900 p-3 text-xs text-zinc-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500"
        >
          <code>{manifest}</code>
        </pre>
        <CopyButton text={manifest} label="Copy manifest" />
      </details>

      {children}
    </TokenReveal>
  );
}
