// A pod's container log, streamed from the cluster through the tunnel as the viewer (the API server's
// pods/log, as `kubectl logs` asks for it). Must not buffer a followed log or ask as anyone but the viewer.
import { z } from "zod";
import { objectName } from "@/lib/cluster-cache/paths";

/** A yes/no query parameter: true, false, 1 or 0. */
export const logFlag = z
  .enum(["true", "false", "1", "0"], { error: "use true or false" })
  .optional()
  .transform((v) => v === "true" || v === "1");

/** The longest log a page asks for at once; more is for `kubectl logs` to a file. */
export const MAX_TAIL_LINES = 100_000;

/** What a log request may ask of each log, as `kubectl logs` does: one pod's or each of a workload's pods'. */
export const logOptionFields = {
  follow: logFlag,
  previous: logFlag,
  timestamps: logFlag,
  tailLines: z.coerce
    .number({ error: "tailLines must be a whole number" })
    .int("tailLines must be a whole number")
    .min(0, "tailLines cannot be negative")
    .max(MAX_TAIL_LINES, `tailLines is at most ${MAX_TAIL_LINES}`)
    .optional(),
  sinceSeconds: z.coerce
    .number({ error: "sinceSeconds must be a whole number" })
    .int("sinceSeconds must be a whole number")
    .min(1, "sinceSeconds must be at least 1")
    .max(366 * 86_400, "sinceSeconds is at most a year")
    .optional(),
};

export const logsQuery = z.object({
  namespace: objectName,
  pod: objectName,
  container: z
    .string()
    .regex(/^[a-z0-9]([-a-z0-9]*[a-z0-9])?$/, "not a container name")
    .max(63)
    .optional(),
  ...logOptionFields,
});
export type LogsQuery = z.infer<typeof logsQuery>;

/** The API server's path for a log: /api/v1/namespaces/<ns>/pods/<pod>/log?container=…&follow=true… */
export function logsPath(q: LogsQuery): string {
  const p = new URLSearchParams();
  if (q.container) p.set("container", q.container);
  if (q.follow) p.set("follow", "true");
  if (q.previous) p.set("previous", "true");
  if (q.timestamps) p.set("timestamps", "true");
  if (q.tailLines !== undefined) p.set("tailLines", String(q.tailLines));
  if (q.sinceSeconds !== undefined) p.set("sinceSeconds", String(q.sinceSeconds));
  const qs = p.toString();
  return `/api/v1/namespaces/${q.namespace}/pods/${q.pod}/log${qs ? `?${qs}` : ""}`;
}
