// What the page and web say to each other over a shell's WebSocket (`/api/agents/:id/exec`), browser-safe.
// Binary frames carry the terminal's bytes (keystrokes to the container, its output back); text frames
// carry JSON control messages (a resize from the page; "open" and "end" from web). Web always sends an
// "end" message with the reason in full before it closes, and closes with one of SHELL_CLOSE's codes and
// the reason cut to what a close frame holds, so the page can say why whichever arrives.
import { z } from "zod";
import { objectName } from "@/lib/cluster-cache/paths";

/** Close codes: 1000 the command ended; 4xxx why web ended or refused the session (after HTTP's codes). */
export const SHELL_CLOSE = {
  ended: 1000,
  badRequest: 4400,
  sessionEnded: 4401,
  refused: 4403,
  notFound: 4404,
  idle: 4408,
  tooMany: 4429,
  clusterError: 4502,
  notConnected: 4503,
} as const;
export type ShellCloseCode = (typeof SHELL_CLOSE)[keyof typeof SHELL_CLOSE];

/** A close frame's reason holds at most 123 bytes of UTF-8. */
export function closeReason(text: string): string {
  const bytes = new TextEncoder().encode(text);
  if (bytes.length <= 123) return text;
  let cut = text.slice(0, 120);
  while (new TextEncoder().encode(cut + "…").length > 123) cut = cut.slice(0, -1);
  return cut + "…";
}

export const MAX_COMMAND_LENGTH = 1024;

/** The words of a command line, split at spaces (no quoting: a shell's `-c` takes the rest). */
export function commandWords(line: string): string[] {
  return line.split(/\s+/).filter(Boolean);
}

const containerName = z
  .string()
  .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "not a container name")
  .max(63);

/** The query of `GET /api/agents/:id/exec` (a WebSocket upgrade). `command` repeats, one word each, as Kubernetes takes it. */
export const shellQuery = z.object({
  namespace: objectName,
  pod: objectName,
  container: containerName,
  command: z
    .array(z.string().min(1, "a command word cannot be empty").max(MAX_COMMAND_LENGTH))
    .min(1, "name the command to run, e.g. command=sh")
    .max(64, "at most 64 command words")
    .refine(
      (words) => words.join(" ").length <= MAX_COMMAND_LENGTH,
      `the command is at most ${MAX_COMMAND_LENGTH} characters`,
    ),
});
export type ShellQuery = z.infer<typeof shellQuery>;

/** Reads the query from a URL's search parameters (command repeats). */
export function parseShellQuery(params: URLSearchParams): ReturnType<typeof shellQuery.safeParse> {
  return shellQuery.safeParse({
    namespace: params.get("namespace") ?? undefined,
    pod: params.get("pod") ?? undefined,
    container: params.get("container") ?? undefined,
    command: params.getAll("command"),
  });
}

/** The page's side of the URL: `/api/agents/<id>/exec?namespace=…&pod=…&container=…&command=sh`. */
export function shellPath(agentId: string, q: ShellQuery): string {
  const p = new URLSearchParams({ namespace: q.namespace, pod: q.pod, container: q.container });
  for (const w of q.command) p.append("command", w);
  return `/api/agents/${encodeURIComponent(agentId)}/exec?${p}`;
}

/** Page → web. */
export const clientMessage = z.object({
  type: z.literal("resize"),
  cols: z.number().int().min(1).max(1000),
  rows: z.number().int().min(1).max(1000),
});
export type ClientMessage = z.infer<typeof clientMessage>;

/** Web → page. */
export const serverMessage = z.discriminatedUnion("type", [
  z.object({ type: z.literal("open"), command: z.string(), container: z.string() }),
  z.object({
    type: z.literal("end"),
    code: z.number().int(),
    reason: z.string(),
    exitCode: z.number().int().nullable(),
  }),
]);
export type ServerMessage = z.infer<typeof serverMessage>;

export type ShellEnd = { code: number; reason: string; exitCode: number | null };

/**
 * What the page shows when the socket closed: the "end" message when one came, else the close frame's
 * code and reason; a socket that closed without either (the connection dropped) says so.
 */
export function endOf(message: ShellEnd | null, close: { code: number; reason: string }): ShellEnd {
  if (message) return message;
  if (close.reason) return { code: close.code, reason: close.reason, exitCode: null };
  if (close.code === SHELL_CLOSE.ended) return { code: close.code, reason: "session ended", exitCode: null };
  return {
    code: close.code,
    reason: `the connection to Tether was lost (WebSocket close code ${close.code})`,
    exitCode: null,
  };
}

/** The page's state line for an ended session. */
export function describeEnd(end: ShellEnd): string {
  if (end.exitCode !== null) return `Ended: ${end.reason} (exit code ${end.exitCode})`;
  return `Ended: ${end.reason}`;
}

/** Whether the end means the agent is not connected (the page then says "Not connected", not "Ended"). */
export function isNotConnected(end: ShellEnd): boolean {
  return end.code === SHELL_CLOSE.notConnected;
}
