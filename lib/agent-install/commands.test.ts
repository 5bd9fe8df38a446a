import { describe, expect, it } from "vitest";
import { agentDeploymentName, helmReleaseName, installCommands, shellQuote } from "./index";

const token = "tthr_agent_" + "A".repeat(43);
const params = {
  agentName: "prod-eu",
  kasAddress: "grpcs://kas.example.com:443",
  chartRepoUrl: "https://tether.example.com/charts",
  chartVersion: "0.1.0",
  token,
};

describe("install commands", () => {
  it("add Tether's Helm repository and install the pinned chart version under the agent's name with the address and token", () => {
    const c = installCommands(params);
    expect(c.repoAdd).toBe("helm repo add tether https://tether.example.com/charts\nhelm repo update tether");
    expect(c.helm).toBe(
      [
        "helm upgrade --install prod-eu tether/tether-agent --version 0.1.0 \\",
        "  --namespace tether-agent --create-namespace \\",
        "  --set config.kasAddress=grpcs://kas.example.com:443 \\",
        `  --set config.token=${token}`,
      ].join("\n"),
    );
  });

  it("offer a Secret made from a file, so the token is never typed on a command line", () => {
    const c = installCommands(params);
    expect(c.helmWithSecret).toBe(
      [
        "kubectl create namespace tether-agent --dry-run=client -o yaml | kubectl apply -f -",
        "kubectl -n tether-agent create secret generic prod-eu-tether-agent-token --from-file=token=prod-eu.token",
        "rm prod-eu.token",
        "helm upgrade --install prod-eu tether/tether-agent --version 0.1.0 \\",
        "  --namespace tether-agent \\",
        "  --set config.kasAddress=grpcs://kas.example.com:443 \\",
        "  --set config.existingSecret=prod-eu-tether-agent-token",
      ].join("\n"),
    );
    expect(c.helmWithSecret).not.toContain(token);
    expect(c.rotate).not.toContain(token);
    expect(c.rotate).toContain(
      "kubectl -n tether-agent create secret generic prod-eu-tether-agent-token --from-file=token=prod-eu.token --dry-run=client -o yaml | kubectl apply -f -",
    );
    expect(c.rotate).toContain("kubectl -n tether-agent rollout restart deployment/prod-eu-tether-agent");
    expect(c.rotate).toContain("revoke the old token");
  });

  it("use the admin's own image when given, with the commands that build and push it", () => {
    expect(installCommands(params).image).toBe("tether/agent:0.1.0");
    expect(installCommands(params).imageBuild).toContain(
      "docker build -f deploy/agent/Dockerfile -t registry.example.com/tether/agent:0.1.0 .",
    );
    const c = installCommands({
      ...params,
      image: { repository: "registry.acme.test/platform/tether-agent", tag: "0.1.0-acme" },
    });
    expect(c.image).toBe("registry.acme.test/platform/tether-agent:0.1.0-acme");
    expect(c.imageBuild.split("\n").slice(1)).toEqual([
      "docker build -f deploy/agent/Dockerfile -t registry.acme.test/platform/tether-agent:0.1.0-acme .",
      "docker push registry.acme.test/platform/tether-agent:0.1.0-acme",
    ]);
    for (const cmd of [c.helm, c.helmWithSecret]) {
      expect(cmd).toContain(
        "  --set image.repository=registry.acme.test/platform/tether-agent \\\n  --set image.tag=0.1.0-acme",
      );
    }
  });

  it("a receptive agent: the TLS Secret first, then the chart with receptive values and the tab's public key, no kas address", () => {
    const c = installCommands({ ...params, receptive: true });
    expect(c.receptive).toEqual({
      tlsSecretName: "prod-eu-tether-agent-receptive-tls",
      publicKeyFile: "prod-eu-receptive.pub",
      serviceName: "prod-eu-tether-agent-receptive",
    });
    expect(c.helm).toBe(
      [
        "# The agent's TLS certificate and key (agent.crt, agent.key) and prod-eu-receptive.pub from the Receptive tab:",
        "kubectl create namespace tether-agent --dry-run=client -o yaml | kubectl apply -f -",
        "kubectl -n tether-agent create secret tls prod-eu-tether-agent-receptive-tls --cert=agent.crt --key=agent.key",
        "helm upgrade --install prod-eu tether/tether-agent --version 0.1.0 \\",
        "  --namespace tether-agent \\",
        "  --set receptive.enabled=true \\",
        "  --set receptive.tlsSecretName=prod-eu-tether-agent-receptive-tls \\",
        "  --set-file receptive.jwtPublicKey=prod-eu-receptive.pub \\",
        `  --set config.token=${token}`,
      ].join("\n"),
    );
    expect(c.helmWithSecret).toContain(
      "kubectl -n tether-agent create secret tls prod-eu-tether-agent-receptive-tls --cert=agent.crt --key=agent.key\nkubectl -n tether-agent create secret generic prod-eu-tether-agent-token --from-file=token=prod-eu.token",
    );
    expect(c.helmWithSecret).toMatch(
      /--set-file receptive\.jwtPublicKey=prod-eu-receptive\.pub \\\n {2}--set config\.existingSecret=/,
    );
    for (const cmd of [c.helm, c.helmWithSecret]) expect(cmd).not.toContain("kasAddress");
    expect(c.helmWithSecret).not.toContain(token);
    expect(installCommands(params).receptive).toBeNull();
  });

  it("name the agent's Deployment as the chart does, for the logs command", () => {
    expect(installCommands(params).logs).toBe("kubectl -n tether-agent logs deployment/prod-eu-tether-agent --tail=50");
    expect(agentDeploymentName("tether-agent")).toBe("tether-agent");
    expect(agentDeploymentName("my-tether-agent-eu")).toBe("my-tether-agent-eu");
    // At most 63 characters, as the chart's trunc 63.
    expect(agentDeploymentName(`${"a".repeat(51)}-b`)).toBe(`${"a".repeat(51)}-b-tether-ag`);
  });

  it("keep release names within Helm's 53 characters", () => {
    expect(helmReleaseName("a".repeat(53))).toHaveLength(53);
    expect(helmReleaseName(`${"a".repeat(52)}-bbbbbbbbbb`)).toBe("a".repeat(52));
  });

  it("quote only what a shell would misread", () => {
    expect(shellQuote("grpcs://kas.example.com:443")).toBe("grpcs://kas.example.com:443");
    expect(shellQuote("a b")).toBe("'a b'");
    expect(shellQuote("it's")).toBe(`'it'"'"'s'`);
  });
});
