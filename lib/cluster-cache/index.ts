// The cluster cache: shared LIST+WATCH per (agent, identity, collection) through the tunnel, its SSE
// stream, and discovery of what else the cluster serves. Never holds Secret values; never mixes identities.
export { discoverResources, listableResources, printerColumnsOf, type DiscoveredResource, type PrinterColumn } from "./discovery";
export { ClusterCache, type CacheStats } from "./cache";
export { collectionPath, objectName, objectPath } from "./paths";
export { readObject } from "./object";
export { forViewers, WatchedCollection, type CollectionEvent, type CollectionKey, type KubeObject, type UpstreamState } from "./collection";
export { liveStream, eventId, parseEventId, FLUSH_MS, FLUSH_BURST, HEARTBEAT_MS, MAX_BACKLOG_BYTES } from "./sse";
