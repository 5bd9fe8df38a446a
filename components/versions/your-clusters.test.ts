import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { supportStatus } from "@/lib/versions/policy";
import { POLICY_INPUT, supportedMinorsAt } from "@/lib/versions/rules";

const START = supportedMinorsAt("2025-07-01", { ...POLICY_INPUT, results: [] });
import { YourClusters } from "./your-clusters";

describe("YourClusters", () => {
  it("shows an empty state when no cluster is connected", () => {
    expect(renderToStaticMarkup(createElement(YourClusters, { clusters: [] }))).toContain("No clusters connected yet");
  });
  it("lists each cluster with its version, badge and a link to the agent", () => {
    const html = renderToStaticMarkup(
      createElement(YourClusters, {
        clusters: [
          {
            agentId: "a1",
            agentName: "prod",
            projectFullPath: "ops/infra",
            href: "/projects/ops/infra/-/clusters/prod",
            kubernetesVersion: "v1.33.4-gke.100",
            support: supportStatus("v1.33.4-gke.100", START),
            lastContactAt: new Date("2025-09-01T10:00:00Z"),
          },
          {
            agentId: "a2",
            agentName: "lab",
            projectFullPath: "ops/lab",
            href: "/projects/ops/lab/-/clusters/lab",
            kubernetesVersion: null,
            support: supportStatus(null),
            lastContactAt: null,
          },
        ],
      }),
    );
    expect(html).toContain('href="/projects/ops/infra/-/clusters/prod"');
    expect(html).toContain('data-status="supported"');
    expect(html).toContain('data-status="unknown"');
    expect(html).toContain("Not reported");
    expect(html).toContain('<time dateTime="2025-09-01T10:00:00.000Z">2025-09-01 10:00 UTC</time>');
  });
});
