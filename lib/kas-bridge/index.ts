// web's side of kas: the internal API kas calls (agent tokens, contact reports, configuration, proxy authorization and audit) and asking kas about agents' connections.
// Must not hold a rule of its own: each call hands over to the capability that owns the answer (lib/agents, lib/agent-config, lib/kubectl-access).
export { handleKasInternal, sharedSecretFile } from "./internal-api";
export { kasStatuses } from "./kas-status";
export { closeAgentTunnelsEverywhere, notifyAgentConfigChanged } from "./kas-tunnels";
