// Flux in the testbed: pinned controllers built from the Go module proxy, their CRDs, the controllers
// as host processes against a testbed cluster, and a smart-HTTP git server on loopback.
export * from "./versions";
export * from "./crds";
export * from "./build";
export * from "./controllers";
export * from "./git-server";
export * from "./objects";
export * from "./demo-gitops";
