// Agents: registration to a project and deletion, agent tokens, connection status, install instructions, and the rows the agent pages show.
// Must not read or edit an agent's configuration (lib/agent-config does) nor answer kas's calls (lib/kas-bridge does).
export { agentName, recordAgentContact, registerAgent, registerAgentSchema } from "./registration";
export { deleteAgent } from "./delete-agent";
export {
  MAX_ACTIVE_TOKENS,
  agentForToken,
  createAgentToken,
  createTokenSchema,
  listAgentTokens,
  revokeAgentToken,
  type TokenRow,
} from "./agent-tokens";
export {
  agentPath,
  agentView,
  clustersPath,
  findVisibleAgentByName,
  listProjectAgents,
  type AgentListView,
  type AgentRow,
  type AgentView,
  type ReceptiveRowState,
  type SharedAgentRow,
} from "./agent-rows";
export {
  HEARTBEAT_MS,
  connectionStatus,
  lastContact,
  type ConnectionStatus,
  type KasStatusSource,
  type KasView,
} from "./status";
export { installInstructions, kasPublicAddress, type InstallInstructions } from "./install";
