// The install commands for one agent, pinned to one chart version from Tether's own Helm repository.
import {
  AGENT_CHART_NAME,
  AGENT_IMAGE_REPOSITORY,
  AGENT_NAMESPACE,
  agentDeploymentName,
  helmReleaseName,
  shellQuote,
} from "./names";

/** The agent image in the admin's own registry instead of the chart's default. */
export interface ImageOverride {
  repository: string;
  tag: string;
}

export interface InstallParams {
  agentName: string;
  /** The agent's --kas-address: TETHER_KAS_PUBLIC_AGENT_URL. */
  kasAddress: string;
  /** `<TETHER_PUBLIC_URL>/charts`. */
  chartRepoUrl: string;
  chartVersion: string;
  token: string;
  image?: ImageOverride | null;
  /** A receptive agent: kas dials it, so the chart gets receptive.* values instead of a kas address. */
  receptive?: boolean;
}

/** What a receptive agent's install needs beside the token (null for an ordinary agent). */
export interface ReceptiveInstall {
  /** The kubernetes.io/tls Secret with the agent's server certificate, created before the chart. */
  tlsSecretName: string;
  /** The public key from the agent's Receptive tab, saved under this name (its download button's name). */
  publicKeyFile: string;
  /** The Service kas dials (port 443 by default): the agent URL on the Receptive tab points at it. */
  serviceName: string;
}

export interface InstallCommands {
  release: string;
  deployment: string;
  /** The Secret the existingSecret variant creates. */
  secretName: string;
  /** The file the token is saved to for the Secret variant (never typed on a command line). */
  tokenFile: string;
  repoAdd: string;
  /** helm with the token in the release's values (simplest; the token is in shell history). */
  helm: string;
  /** The token in a Secret made from a file, then helm with config.existingSecret. */
  helmWithSecret: string;
  /** Switch to a second token, check, then revoke the first. */
  rotate: string;
  /** Build the image from Tether's source at this version and push it to your registry. */
  imageBuild: string;
  /** The image the chart runs: the override, else the chart's default. */
  image: string;
  logs: string;
  receptive: ReceptiveInstall | null;
}

/** The file name the Receptive tab downloads the agent's public key as, and the install commands read. */
export function receptivePublicKeyFile(agentName: string): string {
  return `${agentName}-receptive.pub`;
}

const join = (lines: string[]) => lines.join(" \\\n");

export function installCommands(p: InstallParams): InstallCommands {
  const release = helmReleaseName(p.agentName);
  const deployment = agentDeploymentName(release);
  const secretName = `${deployment}-token`;
  const tokenFile = `${p.agentName}.token`;
  const chart = `tether/${AGENT_CHART_NAME} --version ${p.chartVersion}`;
  const imageSets = p.image
    ? [`  --set image.repository=${shellQuote(p.image.repository)}`, `  --set image.tag=${shellQuote(p.image.tag)}`]
    : [];
  const ns = `kubectl -n ${AGENT_NAMESPACE}`;
  const receptive: ReceptiveInstall | null = p.receptive
    ? {
        tlsSecretName: `${deployment}-receptive-tls`,
        publicKeyFile: receptivePublicKeyFile(p.agentName),
        serviceName: `${deployment}-receptive`,
      }
    : null;
  // Where the agent's connection comes from: kas's address, or (receptive) the listener kas dials.
  const target = receptive
    ? [
        "  --set receptive.enabled=true",
        `  --set receptive.tlsSecretName=${receptive.tlsSecretName}`,
        `  --set-file receptive.jwtPublicKey=${receptive.publicKeyFile}`,
      ]
    : [`  --set config.kasAddress=${shellQuote(p.kasAddress)}`];
  const createNamespace = `kubectl create namespace ${AGENT_NAMESPACE} --dry-run=client -o yaml | kubectl apply -f -`;
  // The listener's certificate must exist before the pod starts (kas checks it against the tab's CA).
  const receptiveSetup = receptive
    ? [
        `# The agent's TLS certificate and key (agent.crt, agent.key) and ${receptive.publicKeyFile} from the Receptive tab:`,
        createNamespace,
        `${ns} create secret tls ${receptive.tlsSecretName} --cert=agent.crt --key=agent.key`,
      ]
    : [];
  const imageRepository = p.image?.repository || "registry.example.com/tether/agent";
  const imageTag = p.image?.tag || p.chartVersion;
  return {
    release,
    deployment,
    secretName,
    tokenFile,
    repoAdd: [`helm repo add tether ${shellQuote(p.chartRepoUrl)}`, "helm repo update tether"].join("\n"),
    helm: [
      ...receptiveSetup,
      join([
        `helm upgrade --install ${release} ${chart}`,
        `  --namespace ${AGENT_NAMESPACE}${receptive ? "" : " --create-namespace"}`,
        ...target,
        `  --set config.token=${shellQuote(p.token)}`,
        ...imageSets,
      ]),
    ].join("\n"),
    helmWithSecret: [
      ...(receptive ? receptiveSetup : [createNamespace]),
      `${ns} create secret generic ${secretName} --from-file=token=${tokenFile}`,
      `rm ${tokenFile}`,
      join([
        `helm upgrade --install ${release} ${chart}`,
        `  --namespace ${AGENT_NAMESPACE}`,
        ...target,
        `  --set config.existingSecret=${secretName}`,
        ...imageSets,
      ]),
    ].join("\n"),
    rotate: [
      `# 1. Create a second token on the agent's Tokens tab and save it as ${tokenFile}, then:`,
      `${ns} create secret generic ${secretName} --from-file=token=${tokenFile} --dry-run=client -o yaml | kubectl apply -f -`,
      `rm ${tokenFile}`,
      `${ns} rollout restart deployment/${deployment}`,
      `${ns} rollout status deployment/${deployment}`,
      "# 2. When Tether shows the agent connected again, revoke the old token on the Tokens tab.",
    ].join("\n"),
    imageBuild: [
      `# From a checkout of Tether at version ${p.chartVersion} (the Dockerfile bundles the agent with npm run build:agent):`,
      `docker build -f deploy/agent/Dockerfile -t ${shellQuote(`${imageRepository}:${imageTag}`)} .`,
      `docker push ${shellQuote(`${imageRepository}:${imageTag}`)}`,
    ].join("\n"),
    image: p.image ? `${p.image.repository}:${p.image.tag}` : `${AGENT_IMAGE_REPOSITORY}:${p.chartVersion}`,
    logs: `${ns} logs deployment/${deployment} --tail=50`,
    receptive,
  };
}
