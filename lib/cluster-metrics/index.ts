// CPU and memory of pods and nodes from the cluster's metrics.k8s.io, as the viewer (metrics.ts), and the
// parts the page shares: the route's answer (wire.ts) and quantities (quantity.ts).
export * from "./metrics";
export * from "./quantity";
export * from "./wire";
