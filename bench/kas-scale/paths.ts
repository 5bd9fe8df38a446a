// What bench/kas-scale's two processes agree on.

/** The object the fleet's API server serves for the forwarding measurement (a small JSON answer). */
export const CONFIGMAP_PATH = "/api/v1/namespaces/default/configmaps/x";
