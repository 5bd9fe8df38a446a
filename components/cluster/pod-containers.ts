// A pod's containers as the drawer lists them, the way `kubectl describe pod` reads them: init, regular
// and ephemeral containers, each with its image, state (running since, waiting with its reason,
// terminated with reason and exit code), ready, restarts and the last termination. Pure (tested).
import type { KubeItem } from "./kinds";

interface StateDetail {
  startedAt?: string;
  finishedAt?: string;
  reason?: string;
  message?: string;
  exitCode?: number;
  signal?: number;
}
interface ContainerState {
  running?: StateDetail;
  waiting?: StateDetail;
  terminated?: StateDetail;
}
interface ContainerStatus {
  name?: string;
  image?: string;
  ready?: boolean;
  started?: boolean;
  restartCount?: number;
  state?: ContainerState;
  lastState?: ContainerState;
}

export interface ContainerRow {
  name: string;
  type: "init" | "container" | "ephemeral";
  image: string;
  /** "Running", "Waiting: CrashLoopBackOff", "Terminated: Error (exit code 1)", or "Not started" without a status. */
  state: string;
  /** The kubelet's message with a waiting or terminated state (why an image cannot be pulled…). */
  message: string;
  /** When the current state began, ISO 8601, or "". */
  since: string;
  ready: boolean;
  restarts: number;
  /** The previous instance's end, "Terminated: OOMKilled (exit code 137)", or "". */
  lastState: string;
}

const list = <T>(v: unknown): T[] => (Array.isArray(v) ? (v as T[]) : []);

/** A container state in words, with the time it began and the kubelet's message. */
export function stateText(s: ContainerState | undefined): { text: string; since: string; message: string } {
  if (s?.running) return { text: "Running", since: s.running.startedAt ?? "", message: "" };
  if (s?.waiting)
    return {
      text: `Waiting${s.waiting.reason ? `: ${s.waiting.reason}` : ""}`,
      since: "",
      message: s.waiting.message ?? "",
    };
  if (s?.terminated) {
    const t = s.terminated;
    const code = typeof t.exitCode === "number" ? `exit code ${t.exitCode}` : "";
    const signal = t.signal ? `signal ${t.signal}` : "";
    const detail = [code, signal].filter(Boolean).join(", ");
    return {
      text: `Terminated${t.reason ? `: ${t.reason}` : ""}${detail ? ` (${detail})` : ""}`,
      since: t.finishedAt ?? t.startedAt ?? "",
      message: t.message ?? "",
    };
  }
  return { text: "", since: "", message: "" };
}

export function podContainers(pod: KubeItem): ContainerRow[] {
  const rows: ContainerRow[] = [];
  const groups: [ContainerRow["type"], string, string][] = [
    ["init", "initContainers", "initContainerStatuses"],
    ["container", "containers", "containerStatuses"],
    ["ephemeral", "ephemeralContainers", "ephemeralContainerStatuses"],
  ];
  for (const [type, specKey, statusKey] of groups) {
    const statuses = list<ContainerStatus>(pod.status?.[statusKey]);
    for (const c of list<{ name?: string; image?: string }>(pod.spec?.[specKey])) {
      if (!c.name) continue;
      const st = statuses.find((s) => s.name === c.name);
      const now = stateText(st?.state);
      const last = stateText(st?.lastState);
      rows.push({
        name: c.name,
        type,
        image: st?.image || c.image || "",
        state: now.text || "Not started",
        message: now.message,
        since: now.since,
        ready: st?.ready === true,
        restarts: st?.restartCount ?? 0,
        lastState: last.text,
      });
    }
  }
  return rows;
}
