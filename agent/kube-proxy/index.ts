// The upstream the tunnel serves: one request at a time to the cluster's API server with the agent's
// credentials and the impersonation kas decided. It must not talk to kas.
export { KubeApi, type UpstreamRequest, type UpstreamResponse } from "./forward";
