"use client";
// The token, shown this once, with the commands that install the agent with it.
import { useEffect, useRef } from "react";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { AddressWarnings } from "./address-warnings";
import type { CreatedToken } from "./api";

export function TokenReveal({ created, agentName, onDone }: { created: CreatedToken; agentName: string; onDone: () => void }) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const { token, install } = created;
  return (
    <section aria-labelledby="token-reveal-heading" className="space-y-5">
      <div>
        <h3 id="token-reveal-heading" ref={heading} tabIndex={-1} className="text-base font-semibold focus:outline-none">
          Token for {agentName} created
        </h3>
        <p role="note" className="mt-2 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-200">
          Copy the token now: it is shown only this once. Tether keeps only its hash; if you lose it, create another token.
        </p>
      </div>

      <div className="space-y-1">
        <label htmlFor="agent-token" className="block text-sm font-medium text-zinc-700 dark:text-zinc-300">Agent token</label>
        <div className="flex flex-wrap items-center gap-3">
          <input
            id="agent-token"
            readOnly
            value={token}
            onFocus={(e) => e.currentTarget.select()}
            className="block min-w-0 flex-1 rounded-md border border-zinc-300 bg-zinc-50 px-3 py-2 font-mono text-sm dark:border-zinc-700 dark:bg-zinc-900"
          />
          <CopyButton text={token} label="Copy token" />
        </div>
      </div>

      <AddressWarnings warnings={install.warnings} label="Address warnings" />

      <div className="space-y-2">
        <h4 className="text-sm font-semibold">Install with Helm</h4>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          Run from a checkout of Tether (the chart is <code>deploy/agent/chart</code>). The agent dials kas at <code className="font-mono">{install.kasAddress}</code>.
        </p>
        <pre aria-label="Helm command" tabIndex={0} className="overflow-x-auto rounded-md bg-zinc-900 p-3 text-xs text-zinc-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500"><code>{install.helm}</code></pre>
        <CopyButton text={install.helm} label="Copy Helm command" />
      </div>

      <details className="space-y-2">
        <summary className="cursor-pointer text-sm font-semibold focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500">Or install with kubectl (plain manifest)</summary>
        <p className="mt-2 text-sm text-zinc-600 dark:text-zinc-400">
          Save it as <code>tether-agent.yaml</code> and run <code>kubectl apply -f tether-agent.yaml</code>. It contains the token: delete the file afterwards.
        </p>
        <pre aria-label="Agent manifest" tabIndex={0} className="max-h-80 overflow-auto rounded-md bg-zinc-900 p-3 text-xs text-zinc-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500"><code>{install.manifest}</code></pre>
        <CopyButton text={install.manifest} label="Copy manifest" />
      </details>

      <Button type="button" onClick={onDone}>I have copied the token</Button>
    </section>
  );
}
