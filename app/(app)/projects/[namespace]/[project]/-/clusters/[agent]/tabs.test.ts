import { describe, expect, it } from "vitest";
import { AGENT_TABS, agentTabMetadata, agentTabPath } from "./tabs";

const params = (agent: string) => Promise.resolve({ namespace: "acme", project: "web", agent });

describe("agent tabs", () => {
  it("title the overview after the agent and every other tab after the tab and the agent", async () => {
    expect(await agentTabMetadata("overview")({ params: params("prod") })).toEqual({ title: "Agent prod" });
    const titles = await Promise.all(
      AGENT_TABS.map(async (t) => (await agentTabMetadata(t)({ params: params("prod") })).title),
    );
    expect(titles).toEqual([
      "Cluster · prod",
      "GitOps · prod",
      "Tokens · prod",
      "Configuration · prod",
      "Sharing · prod",
      "Connect with kubectl · prod",
      "Receptive · prod",
    ]);
  });

  it("keep the overview at the agent's own path and put every other tab in a folder below it", () => {
    const base = "/projects/acme/web/-/clusters/prod";
    expect(agentTabPath(base, "overview")).toBe(base);
    expect(AGENT_TABS.map((t) => agentTabPath(base, t))).toEqual(
      ["cluster", "gitops", "tokens", "configuration", "sharing", "connect", "receptive"].map((t) => `${base}/${t}`),
    );
  });
});
