// Flux in the testbed: pinned controllers built from the Go module proxy, their CRDs, and (for tests
// and the demo) the controllers as host processes and a smart-HTTP git server on loopback.
export * from "./versions";
export * from "./crds";
