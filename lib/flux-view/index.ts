// The GitOps tab's server side: which Flux kinds a cluster serves (and at which version), and the counts
// the project page shows, asked through the tunnel as the viewer. It only reads: actions on Flux objects
// (reconcile, suspend, resume) are lib/cluster-actions'. flux-status.ts is pure and browser-safe.
export { discoverFlux, summarizeFlux, type FluxAgentSummary, type FluxDiscovery } from "./discover";
export * from "./flux-status";
