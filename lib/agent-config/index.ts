// An agent's configuration: the versioned YAML (ci_access, user_access) that says who may use the agent, its history, and sharing edited without YAML.
// Must not decide a kubectl request (lib/kubectl-access reads the configuration in force for that) nor load agents for pages.
export {
  ConfigError,
  MAX_CONFIG_BYTES,
  accessAsOf,
  parseAgentConfig,
  shareEntries,
  type AccessAs,
  type AgentConfigData,
  type ShareEntry,
} from "./parse";
export { StaleConfig, configSaveSchema, saveAgentConfig } from "./versions";
export { currentAgentConfig, currentAgentConfigs, type ConfigInForce } from "./in-force";
export { agentConfigVersion, agentConfigView, type ConfigVersion, type ConfigView } from "./version-history";
export {
  addShare,
  addShareSchema,
  removeShare,
  removeShareSchema,
  setAccessAsSchema,
  setSharingAccessAs,
  sharingView,
  type BlockAccess,
  type SharingBlock,
  type SharingView,
} from "./sharing";
export { agentsSharedWithProject } from "./shared-with";
