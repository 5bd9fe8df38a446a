// Logs through the tunnel as the viewer: one pod's container (pod-log.ts), and a workload's pods followed
// together with their lines interleaved (workload.ts; workload-wire.ts is the part the page shares).
export * from "./pod-log";
export * from "./workload";
export * from "./workload-wire";
