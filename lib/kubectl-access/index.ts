// kubectl and CI access through kas's k8s-proxy: who may use an agent and as whom, kubeconfigs, CI job credentials, the Connect tab.
// Must not change an agent's configuration (it only reads the configuration in force) nor talk to kas (lib/kas-bridge carries kas's questions here).
export {
  authorizeProxy,
  parseProxyCredential,
  userAccessGrant,
  type ProxyCredential,
  type ProxyDecision,
} from "./proxy-auth";
export {
  KUBECONFIG_TOKEN_DAYS,
  createPersonalKubeconfig,
  ciJobCredentialsFor,
  mintCiJobCredentials,
  type CiAgentCredential,
  type CiJobCredentials,
  type PersonalKubeconfig,
} from "./credentials";
export { connectView, type CiGrant, type ConnectView } from "./connect";
export { agentsUsableByProjectForCi, userAccessToAgent, type CiUsableAgent, type UserAgentAccess } from "./usable";
export {
  buildKubeconfig,
  kubeconfigContextName,
  k8sProxyCaData,
  k8sProxyServerUrl,
  kubeconfigText,
  proxyKubeconfig,
  type Kubeconfig,
  type KubeconfigEntry,
} from "./kubeconfig";
