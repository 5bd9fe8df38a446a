// An agent's configuration: the versioned YAML (ci_access, user_access) that says who may use the agent, its history, and sharing edited without YAML.
// Must not decide a kubectl request (lib/kubectl-access reads the configuration in force for that) nor load agents for pages.
export { ConfigError, MAX_CONFIG_BYTES, StaleConfig, accessAsOf, currentAgentConfig, parseAgentConfig, saveAgentConfig, shareEntries, type AccessAs, type AgentConfigData, type ShareEntry } from "./config";
export { agentConfigVersion, agentConfigView, type ConfigVersion, type ConfigView } from "./config-views";
export { addShare, removeShare, sharingView, type SharingView } from "./sharing";
