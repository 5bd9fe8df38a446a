// Agents: registration to a project, agent tokens, connection status, install instructions, and the rows the agent pages show.
// Must not read or edit an agent's configuration (lib/agent-config does) nor answer kas's calls (lib/kas-bridge does).
export { MAX_ACTIVE_TOKENS, agentForToken, agentInfoSchema, agentName, createAgentToken, createTokenSchema, recordAgentContact, registerAgent, registerAgentSchema, revokeAgentToken, type AgentInfo } from "./service";
export { agentPath, agentView, agentsSharedWithProject, clustersPath, findVisibleAgentByName, listAgentTokens, listProjectAgents, type AgentListView, type AgentRow, type AgentView, type SharedAgentRow, type TokenRow } from "./views";
export { HEARTBEAT_MS, connectionStatus, lastContact, type ConnectionStatus, type KasStatusSource, type KasView } from "./status";
export { installInstructions, kasPublicAddress, type InstallInstructions } from "./install";
