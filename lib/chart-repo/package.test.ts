import { createHash } from "node:crypto";
import fs from "node:fs";
import path from "node:path";
import { Readable } from "node:stream";
import { list as listTar, type ReadEntry } from "tar";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { KAS_VERSION } from "@/lib/common/release";
import { agentChartDir, packageChart, repositoryIndex } from "./index";

const root = path.resolve(__dirname, "..", "..");

async function entries(archive: Buffer): Promise<Map<string, string>> {
  const out = new Map<string, string>();
  const parser = listTar({
    onReadEntry: (e: ReadEntry) => {
      const chunks: Buffer[] = [];
      e.on("data", (c: Buffer) => chunks.push(c));
      e.on("end", () => out.set(e.path, Buffer.concat(chunks).toString("utf8")));
    },
  });
  await new Promise<void>((resolve, reject) => {
    parser.on("end", () => resolve());
    parser.on("error", reject);
    Readable.from([archive]).pipe(parser as unknown as NodeJS.WritableStream);
  });
  return out;
}

describe("the agent chart as Tether's Helm repository serves it", () => {
  it("is versioned with the product: Chart.yaml's version and appVersion are kas's release and package.json's version", () => {
    const chart = parse(fs.readFileSync(path.join(agentChartDir(root), "Chart.yaml"), "utf8")) as {
      version: string;
      appVersion: string;
    };
    const pkg = JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { version: string };
    expect({ version: chart.version, appVersion: chart.appVersion, package: pkg.version }).toEqual({
      version: KAS_VERSION,
      appVersion: KAS_VERSION,
      package: KAS_VERSION,
    });
  });

  it("is a gzip'd tar of every chart file under tether-agent/, byte for byte, with its sha256 digest", async () => {
    const p = await packageChart(agentChartDir(root));
    expect(p.fileName).toBe(`tether-agent-${KAS_VERSION}.tgz`);
    expect(p.archive.subarray(0, 2)).toEqual(Buffer.from([0x1f, 0x8b]));
    expect(p.digest).toBe(createHash("sha256").update(p.archive).digest("hex"));
    const files = await entries(p.archive);
    const chartDir = agentChartDir(root);
    const expected = [
      "Chart.yaml",
      "values.yaml",
      ...fs.readdirSync(path.join(chartDir, "templates")).map((f) => `templates/${f}`),
    ].sort();
    expect([...files.keys()].sort()).toEqual(expected.map((f) => `tether-agent/${f}`));
    for (const f of expected)
      expect(files.get(`tether-agent/${f}`), f).toBe(fs.readFileSync(path.join(chartDir, f), "utf8"));
  });

  it("packages the same bytes every time, so replicas agree on the digest", async () => {
    const [a, b] = await Promise.all([packageChart(agentChartDir(root)), packageChart(agentChartDir(root))]);
    expect(a.digest).toBe(b.digest);
  });

  it("index.yaml lists the chart with its metadata, digest and a URL relative to the repository", async () => {
    const p = await packageChart(agentChartDir(root));
    const index = parse(repositoryIndex([p])) as {
      apiVersion: string;
      entries: Record<string, Record<string, unknown>[]>;
    };
    expect(index.apiVersion).toBe("v1");
    expect(Object.keys(index.entries)).toEqual(["tether-agent"]);
    expect(index.entries["tether-agent"]).toEqual([
      expect.objectContaining({
        apiVersion: "v2",
        name: "tether-agent",
        version: KAS_VERSION,
        appVersion: KAS_VERSION,
        type: "application",
        digest: p.digest,
        urls: [`tether-agent-${KAS_VERSION}.tgz`],
      }),
    ]);
  });
});
