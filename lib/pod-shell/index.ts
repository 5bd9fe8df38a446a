// A shell into a pod's container from the browser: web takes the page's WebSocket (the web server's
// upgrade handler, server.ts), and carries the session through the agent's tunnel to the API server's
// exec as the viewer (exec.ts: @kubernetes/client-node's Exec over a TunnelConnection). protocol.ts is
// the page ↔ web wire format and is browser-safe. Must never widen what the cluster's RBAC allows: it
// asks (SelfSubjectAccessReview) and runs as the viewer's identity, and audits every session.
export {
  SHELL_CLOSE,
  closeReason,
  commandWords,
  describeEnd,
  endOf,
  isNotConnected,
  parseShellQuery,
  shellPath,
  shellQuery,
  type ServerMessage,
  type ShellEnd,
  type ShellQuery,
} from "./protocol";
export { openExec, exitOf, type ExecSession } from "./exec";
export { TunnelConnection, parseRequestHead, switchingProtocolsHead } from "./tunnel-connection";
export {
  DEFAULT_IDLE_MS,
  DEFAULT_MAX_SHELLS_PER_USER,
  EXEC_PATH,
  createShellServer,
  endForError,
  type ShellServer,
  type ShellServerOptions,
} from "./server";
