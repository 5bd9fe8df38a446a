// The cluster cache: shared LIST+WATCH per (agent, identity, collection) through the tunnel, its SSE
// stream, and discovery of what else the cluster serves. Never holds Secret values; never mixes identities.
// The browser imports ./wire alone (the stream's format), which must stay free of server code.
export {
  discoverResources,
  listableResources,
  printerColumnsOf,
  type DiscoveredResource,
  type PrinterColumn,
} from "./discovery";
export { ClusterCache, type CacheStats } from "./cache";
export { collectionPath, liveQuery, objectName, objectPath, objectQuery } from "./paths";
export { readObject } from "./object";
export { forViewers, WatchedCollection, type CollectionEvent, type CollectionKey } from "./collection";
export {
  applyChanges,
  decodeFrame,
  encodeFrame,
  FRAME_EVENTS,
  frameReader,
  fromSnapshot,
  HEARTBEAT,
  objectKey,
  readFrames,
  sseReader,
} from "./wire";
export type {
  Change,
  ChangesFrame,
  ChangeType,
  KubeObject,
  LiveFrame,
  SnapshotFrame,
  SseMessage,
  SseReader,
  StatusFrame,
  UpstreamState,
  WireObject,
} from "./wire";
export { liveStream, eventId, parseEventId, FLUSH_MS, FLUSH_BURST, HEARTBEAT_MS, MAX_BACKLOG_BYTES } from "./sse";
