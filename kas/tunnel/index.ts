// The tunnel on kas's side: the registry of agents' Connect streams and one stream's request/response.
// It must not authenticate agents (agent-api does) nor decide who may use an agent (web does).
import { status } from "@grpc/grpc-js";
import type { KasCapability } from "../capability";

export {
  AgentBusyError,
  AgentStreamLimitError,
  MemoryTunnelRegistry,
  NoAgentTunnelError,
  type AgentEvent,
  type AgentStatus,
  type AgentStatusEverywhere,
  type TunnelRegistry,
} from "./registry";
export { TunnelStream, type AgentStream, type ResponseSink } from "./stream";

/** At shutdown, ends every agent's streams: idle ones never end on their own, and the gRPC servers' drain waits for them. */
export const tunnel: KasCapability = {
  name: "tunnel",
  start({ registry }) {
    return {
      stop() {
        for (const id of registry.agents()) registry.closeAgent(id, status.UNAVAILABLE, "kas is shutting down");
      },
    };
  },
};
