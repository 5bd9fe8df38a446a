"use client";
// The shell's terminal: xterm.js drawing what the container sends over the shell's WebSocket, and sending
// what is typed (binary frames) and the terminal's size (JSON) back. Its own chunk (next/dynamic), fetched
// only when a shell opens. The socket's end, whatever the cause, reaches the page through onclose: web
// sends an "end" message and a close frame saying why; a dropped connection says so too.
import { FitAddon } from "@xterm/addon-fit";
import { Terminal } from "@xterm/xterm";
import "@xterm/xterm/css/xterm.css";
import { useEffect, useRef } from "react";
import { useCspNonce } from "@/components/providers";
import { endOf, serverMessage, type ShellEnd } from "@/lib/pod-shell/protocol";

export type ShellState =
  { kind: "connecting" } | { kind: "connected"; command: string } | { kind: "ended"; end: ShellEnd; opened: boolean };

export interface ShellTerminalProps {
  /** `/api/agents/<id>/exec?…` (lib/pod-shell/protocol's shellPath). */
  path: string;
  /** The plain address of the same operation, asked when the socket could not open (a 401 means signed out). */
  probePath: string;
  onState(state: ShellState): void;
  /** F6 leaves the terminal: focus goes here. */
  onLeave(): void;
  /** Set by the component: closes the session from the page. */
  closeRef: { current: (() => void) | null };
}

/**
 * xterm.js adds <style> elements for its colours and sizes; the page's CSP admits only those with this
 * request's nonce. They are created while the terminal opens: give each the nonce as it is made.
 */
function withStyleNonce<T>(nonce: string | undefined, fn: () => T): T {
  if (!nonce) return fn();
  const original = document.createElement;
  document.createElement = function (this: Document, tag: string, options?: ElementCreationOptions) {
    const el = original.call(this, tag, options);
    if (tag.toLowerCase() === "style") el.setAttribute("nonce", nonce);
    return el;
  } as typeof document.createElement;
  try {
    return fn();
  } finally {
    document.createElement = original;
  }
}

export default function ShellTerminal({ path, probePath, onState, onLeave, closeRef }: ShellTerminalProps) {
  const box = useRef<HTMLDivElement>(null);
  const nonce = useCspNonce();
  // The callbacks change with every render of the parent; the session must not restart for that.
  const state = useRef(onState);
  const leave = useRef(onLeave);
  useEffect(() => {
    state.current = onState;
    leave.current = onLeave;
  }, [onState, onLeave]);

  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const term = new Terminal({
      cursorBlink: true,
      fontSize: 13,
      fontFamily: "ui-monospace, SFMono-Regular, Menlo, Consolas, monospace",
      scrollback: 5000,
      theme: { background: "#09090b" },
    });
    const fit = new FitAddon();
    term.loadAddon(fit);
    withStyleNonce(nonce, () => {
      term.open(el);
      fit.fit();
    });
    const encoder = new TextEncoder();
    const ws = new WebSocket(`${location.protocol === "https:" ? "wss" : "ws"}://${location.host}${path}`);
    ws.binaryType = "arraybuffer";
    let opened = false;
    let endMessage: ShellEnd | null = null;
    let finished = false;
    state.current({ kind: "connecting" });

    const sendSize = () => {
      if (ws.readyState === WebSocket.OPEN)
        ws.send(JSON.stringify({ type: "resize", cols: term.cols, rows: term.rows }));
    };
    ws.onopen = sendSize;
    ws.onmessage = (ev: MessageEvent<ArrayBuffer | string>) => {
      if (typeof ev.data !== "string") {
        term.write(new Uint8Array(ev.data));
        return;
      }
      let parsed: ReturnType<typeof serverMessage.safeParse>;
      try {
        parsed = serverMessage.safeParse(JSON.parse(ev.data));
      } catch {
        return;
      }
      if (!parsed.success) return;
      const m = parsed.data;
      if (m.type === "open") {
        opened = true;
        state.current({ kind: "connected", command: m.command });
        term.focus();
      } else {
        endMessage = { code: m.code, reason: m.reason, exitCode: m.exitCode };
      }
    };
    const ended = (end: ShellEnd) => {
      if (finished) return;
      finished = true;
      term.options.disableStdin = true;
      term.options.cursorBlink = false;
      state.current({ kind: "ended", end, opened });
    };
    ws.onclose = (ev: CloseEvent) => {
      const end = endOf(endMessage, { code: ev.code, reason: ev.reason });
      // A handshake the server refused (1006, nothing said): a browser hides the status; ask plainly.
      if (!opened && !endMessage && ev.code === 1006) {
        fetch(probePath, { cache: "no-store" })
          .then((res) =>
            ended(
              res.status === 401
                ? { code: 4401, reason: "your session ended; sign in again", exitCode: null }
                : { code: ev.code, reason: "Tether refused to open the shell's connection", exitCode: null },
            ),
          )
          .catch(() => ended({ code: ev.code, reason: "Tether cannot be reached", exitCode: null }));
        return;
      }
      ended(end);
    };
    // onerror always comes with an onclose, which says why.

    const input = term.onData((data) => {
      if (ws.readyState === WebSocket.OPEN) ws.send(encoder.encode(data));
    });
    const binary = term.onBinary((data) => {
      if (ws.readyState === WebSocket.OPEN) ws.send(Uint8Array.from(data, (c) => c.charCodeAt(0) & 0xff));
    });
    const resized = term.onResize(sendSize);
    term.attachCustomKeyEventHandler((e) => {
      if (e.type !== "keydown") return true;
      if (e.key === "F6") {
        leave.current();
        return false;
      }
      // Ctrl+Shift+C copies the selection (Ctrl+C is the shell's interrupt); Ctrl+Shift+V pastes as the browser does.
      if (e.ctrlKey && e.shiftKey && (e.key === "C" || e.key === "c")) {
        const text = term.getSelection();
        if (text) void navigator.clipboard?.writeText(text).catch(() => {});
        return false;
      }
      return true;
    });
    const observer = new ResizeObserver(() => {
      try {
        fit.fit();
      } catch {
        /* not laid out (hidden): the next resize fits */
      }
    });
    observer.observe(el);
    closeRef.current = () => {
      if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING)
        ws.close(1000, "closed by the page");
    };

    return () => {
      closeRef.current = null;
      observer.disconnect();
      input.dispose();
      binary.dispose();
      resized.dispose();
      ws.onclose = null;
      ws.onmessage = null;
      if (ws.readyState === WebSocket.OPEN || ws.readyState === WebSocket.CONNECTING)
        ws.close(1000, "closed by the page");
      term.dispose();
    };
  }, [path, probePath, nonce, closeRef]);

  return <div ref={box} data-shell-terminal className="h-80 w-full overflow-hidden rounded bg-zinc-950 p-1" />;
}
