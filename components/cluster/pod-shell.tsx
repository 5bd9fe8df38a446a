"use client";
// A shell into a pod's container, in the drawer: pick the container and the command (sh, else bash, or
// any), connect, and a terminal runs it in the cluster as the viewer (lib/pod-shell). The state line says
// connecting, connected with the command, or why it ended: the command's exit, the cluster's refusal in
// its own words, a session that ended, an agent that is not connected. xterm.js is its own chunk.
import dynamic from "next/dynamic";
import { useCallback, useId, useMemo, useRef, useState } from "react";
import { Button } from "@/components/ui/button";
import { commandWords, describeEnd, isNotConnected, shellPath, type ShellEnd } from "@/lib/pod-shell/protocol";
import type { ShellState, ShellTerminalProps } from "@/components/pod-shell/terminal";
import { ContainerSelect } from "./container-select";
import { inputClass } from "./controls";
import type { KubeItem } from "./kinds";
import { containersOf, defaultContainer } from "./log-lines";

const ShellTerminal = dynamic<ShellTerminalProps>(() => import("@/components/pod-shell/terminal"), {
  ssr: false,
  loading: () => (
    <div role="status" className="flex h-80 items-center justify-center rounded bg-zinc-950 text-sm text-zinc-400">
      Loading the terminal…
    </div>
  ),
});

const COMMANDS = ["sh", "bash", "/bin/sh", "/bin/bash"];

type Shown = { kind: "idle" } | ShellState;

function stateLine(s: Shown): string {
  switch (s.kind) {
    case "idle":
      return "";
    case "connecting":
      return "Connecting…";
    case "connected":
      return `Connected: ${s.command}`;
    case "ended":
      return isNotConnected(s.end) ? `Not connected: ${s.end.reason}` : describeEnd(s.end);
  }
}

function isRefusal(end: ShellEnd, opened: boolean): boolean {
  return !opened && end.code >= 4000;
}

export function PodShell({ agentId, pod }: { agentId: string; pod: KubeItem }) {
  const containers = useMemo(() => containersOf(pod).filter((c) => c.kind !== "init"), [pod]);
  const [shown, setShown] = useState(false);
  const [container, setContainer] = useState("");
  const [command, setCommand] = useState("sh");
  const [session, setSession] = useState<{ n: number; path: string } | null>(null);
  const [state, setState] = useState<Shown>({ kind: "idle" });
  const closeRef = useRef<(() => void) | null>(null);
  const endButton = useRef<HTMLButtonElement>(null);
  const commandsId = useId();
  const { name, namespace = "" } = pod.metadata;
  const chosen = container || defaultContainer(pod, containers);
  const words = commandWords(command);
  const live = state.kind === "connecting" || state.kind === "connected";

  const connect = (e: React.FormEvent) => {
    e.preventDefault();
    if (!chosen || words.length === 0) return;
    setState({ kind: "connecting" });
    setSession((s) => ({
      n: (s?.n ?? 0) + 1,
      path: shellPath(agentId, { namespace, pod: name, container: chosen, command: words }),
    }));
  };
  const onState = useCallback((s: ShellState) => setState(s), []);
  const onLeave = useCallback(() => endButton.current?.focus(), []);

  if (!shown)
    return (
      <section aria-label="Shell" className="space-y-2">
        <h4 className="text-sm font-medium text-zinc-600 dark:text-zinc-400">Shell</h4>
        <Button type="button" variant="secondary" onClick={() => setShown(true)}>
          Open a shell
        </Button>
      </section>
    );

  const line = stateLine(state);
  const refused = state.kind === "ended" && isRefusal(state.end, state.opened);
  return (
    <section aria-label="Shell" className="space-y-2">
      <h4 className="text-sm font-medium text-zinc-600 dark:text-zinc-400">Shell</h4>
      {containers.length === 0 ? (
        <p className="text-xs text-zinc-500">Loading the pod&apos;s containers…</p>
      ) : (
        <form onSubmit={connect} className="flex flex-wrap items-end gap-3">
          <ContainerSelect
            label="Shell container"
            containers={containers}
            value={chosen}
            disabled={live}
            onChange={setContainer}
          />
          <label className="min-w-0 text-sm">
            <span className="block text-zinc-600 dark:text-zinc-400">Command</span>
            <input
              aria-label="Command"
              list={commandsId}
              value={command}
              disabled={live}
              onChange={(e) => setCommand(e.target.value)}
              className={`${inputClass} w-40 max-w-full font-mono`}
              autoComplete="off"
              spellCheck={false}
              // "Open a shell" went away under the keyboard's focus: it continues here.
              autoFocus
            />
            <datalist id={commandsId}>
              {COMMANDS.map((c) => (
                <option key={c} value={c} />
              ))}
            </datalist>
          </label>
          {live ? (
            <Button ref={endButton} type="button" variant="secondary" onClick={() => closeRef.current?.()}>
              End session
            </Button>
          ) : (
            <Button type="submit" disabled={words.length === 0}>
              {session ? "Connect again" : "Connect"}
            </Button>
          )}
        </form>
      )}
      <p
        role={refused || (state.kind === "ended" && isNotConnected(state.end)) ? "alert" : "status"}
        data-shell-state={state.kind === "ended" && isNotConnected(state.end) ? "not-connected" : state.kind}
        className={`text-xs ${refused ? "text-red-600 dark:text-red-400" : "text-zinc-500"}`}
      >
        {line || "Runs the command in the container as you, with a terminal. Sessions are audited."}
      </p>
      {session && !refused ? (
        <>
          <ShellTerminal
            key={session.n}
            path={session.path}
            probePath={session.path.split("?")[0]!}
            onState={onState}
            onLeave={onLeave}
            closeRef={closeRef}
          />
          <p className="text-xs text-zinc-500">
            Keys go to the shell (Ctrl+C interrupts it); Ctrl+Shift+C copies the selection; F6 leaves the terminal.
          </p>
        </>
      ) : null}
    </section>
  );
}
