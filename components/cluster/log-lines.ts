// A pod log in the browser, the pure parts: which containers a pod has (init and ephemeral too), the
// streamed text cut into lines, the lines kept (the newest MAX_LOG_LINES), and search within them.
import type { KubeItem } from "./kinds";

export { splitLines } from "@/lib/pod-logs/workload-wire";

/** The most lines a page holds; older ones are dropped first (download what is held, or use kubectl). */
export const MAX_LOG_LINES = 100_000;

export interface PodContainer {
  name: string;
  kind: "container" | "init" | "ephemeral";
}

/** The pod's containers in the order kubectl lists them: init, then regular, then ephemeral. */
export function containersOf(pod: KubeItem): PodContainer[] {
  const names = (key: string) =>
    Array.isArray(pod.spec?.[key])
      ? (pod.spec[key] as { name?: unknown }[]).map((c) => c.name).filter((n): n is string => typeof n === "string")
      : [];
  return [
    ...names("initContainers").map((name) => ({ name, kind: "init" as const })),
    ...names("containers").map((name) => ({ name, kind: "container" as const })),
    ...names("ephemeralContainers").map((name) => ({ name, kind: "ephemeral" as const })),
  ];
}

/** The container a log opens on: kubectl's default-container annotation, else the first regular one. */
export function defaultContainer(pod: KubeItem, containers: PodContainer[]): string {
  const annotations = (pod.metadata as { annotations?: Record<string, string> }).annotations ?? {};
  const wanted = annotations["kubectl.kubernetes.io/default-container"];
  if (wanted && containers.some((c) => c.name === wanted)) return wanted;
  return (containers.find((c) => c.kind === "container") ?? containers[0])?.name ?? "";
}

/** Appends lines in place, keeping at most `max` (the newest); returns how many old lines were dropped. */
export function keepNewest<T>(held: T[], added: readonly T[], max = MAX_LOG_LINES): number {
  for (const l of added) held.push(l);
  const over = held.length - max;
  if (over > 0) held.splice(0, over);
  return Math.max(0, over);
}

/** The indexes of the lines that contain `query` (case-insensitive); every line when the query is empty. */
export function matchingLines(lines: readonly string[], query: string): number[] | null {
  const q = query.trim().toLowerCase();
  if (!q) return null;
  const out: number[] = [];
  for (let i = 0; i < lines.length; i++) if (lines[i]!.toLowerCase().includes(q)) out.push(i);
  return out;
}

/** The query string of /api/agents/:id/logs for the viewer's choices. */
export function logsQueryString(o: {
  namespace: string;
  pod: string;
  container: string;
  follow: boolean;
  previous: boolean;
  timestamps: boolean;
  tailLines: string;
  sinceSeconds: string;
}): string {
  const q = new URLSearchParams({ namespace: o.namespace, pod: o.pod });
  if (o.container) q.set("container", o.container);
  // A previous instance has ended: there is nothing to follow.
  if (o.follow && !o.previous) q.set("follow", "true");
  if (o.previous) q.set("previous", "true");
  if (o.timestamps) q.set("timestamps", "true");
  if (o.tailLines) q.set("tailLines", o.tailLines);
  if (o.sinceSeconds) q.set("sinceSeconds", o.sinceSeconds);
  return q.toString();
}
