// Reporting: the agent registers with kas and heartbeats, telling kas (and so web) its version, pod,
// and the cluster's version and node count. It must not carry tunnelled requests.
import { AgentApiServiceClient } from "../../proto/gen/tether/v1/agent_api";
import type { AgentCapability } from "../capability";
import { startReporting } from "./register";

export const reporting: AgentCapability = {
  name: "reporting",
  start({ kas, kubeConfig, config, log }) {
    return startReporting({
      api: kas.client(AgentApiServiceClient),
      metadata: () => kas.metadata(),
      kubeConfig,
      config,
      log,
    });
  },
};
