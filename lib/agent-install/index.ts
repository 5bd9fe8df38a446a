// Installing the agent: the commands the wizard prints (Tether's Helm repository, install with the token or with a Secret, rotation, the image in your own registry, the agent's logs).
// Must not read files, the environment or the database: it runs in the browser too, and the server hands it the public addresses.
export {
  AGENT_CHART_NAME,
  AGENT_IMAGE_REPOSITORY,
  AGENT_NAMESPACE,
  agentDeploymentName,
  helmReleaseName,
  shellQuote,
} from "./names";
export {
  installCommands,
  receptivePublicKeyFile,
  type ImageOverride,
  type InstallCommands,
  type InstallParams,
  type ReceptiveInstall,
} from "./commands";
