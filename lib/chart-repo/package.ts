// Packages a chart directory the way `helm package` does (a gzip'd tar with every file under
// `<name>/`) and writes the repository index with each package's sha256 digest. The archive is
// deterministic (sorted entries, fixed times, no owner), so every web replica of one release serves the
// same bytes and the same digest.
import { createHash } from "node:crypto";
import fs from "node:fs/promises";
import path from "node:path";
import { create as createTar } from "tar";
import { parse, stringify } from "yaml";
import { z } from "zod";

const chartYamlSchema = z
  .object({
    apiVersion: z.literal("v2"),
    name: z.string().regex(/^[a-z0-9-]+$/),
    version: z.string().regex(/^\d+\.\d+\.\d+(?:[-+][0-9A-Za-z.+-]*)?$/, "expected a SemVer 2 version"),
    appVersion: z.string().optional(),
    description: z.string().optional(),
    type: z.enum(["application", "library"]).optional(),
    kubeVersion: z.string().optional(),
    keywords: z.array(z.string()).optional(),
  })
  .loose();

export type ChartMetadata = z.infer<typeof chartYamlSchema>;

export interface ChartPackage {
  metadata: ChartMetadata;
  /** `<name>-<version>.tgz`, as helm names it. */
  fileName: string;
  archive: Buffer;
  /** sha256 of the archive, hex, as index.yaml carries it. */
  digest: string;
}

export interface ChartRepository {
  packages: ChartPackage[];
  /** index.yaml with URLs relative to the repository, so it is right at any address Tether is reached by. */
  index: string;
}

/** Helm's archives carry the packaging time; a fixed one keeps the digest a function of the chart alone. */
const ARCHIVE_TIME = new Date("2000-01-01T00:00:00Z");

export function agentChartDir(root: string = process.cwd()): string {
  return path.join(root, "deploy", "agent", "chart");
}

async function listFiles(dir: string, rel = ""): Promise<string[]> {
  const out: string[] = [];
  const entries = (await fs.readdir(path.join(dir, rel), { withFileTypes: true })).sort((a, b) =>
    a.name.localeCompare(b.name),
  );
  for (const e of entries) {
    const p = rel ? `${rel}/${e.name}` : e.name;
    // Like helm's default ignores: no VCS or editor leftovers.
    if (e.name.startsWith(".") || e.name.endsWith("~")) continue;
    if (e.isDirectory()) out.push(...(await listFiles(dir, p)));
    else if (e.isFile()) out.push(p);
  }
  return out;
}

export async function packageChart(dir: string): Promise<ChartPackage> {
  const parsed = chartYamlSchema.safeParse(parse(await fs.readFile(path.join(dir, "Chart.yaml"), "utf8")));
  if (!parsed.success)
    throw new Error(
      `${path.join(dir, "Chart.yaml")} is not a valid chart: ${parsed.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`).join("; ")}`,
    );
  const metadata = parsed.data;
  const files = await listFiles(dir);
  const chunks: Buffer[] = [];
  const pack = createTar(
    { cwd: dir, gzip: true, portable: true, noDirRecurse: true, mtime: ARCHIVE_TIME, prefix: metadata.name },
    files,
  );
  for await (const chunk of pack) chunks.push(chunk as Buffer);
  const archive = Buffer.concat(chunks);
  return {
    metadata,
    fileName: `${metadata.name}-${metadata.version}.tgz`,
    archive,
    digest: createHash("sha256").update(archive).digest("hex"),
  };
}

export function repositoryIndex(packages: ChartPackage[], generated: Date = ARCHIVE_TIME): string {
  const entries: Record<string, unknown[]> = {};
  for (const p of packages) {
    (entries[p.metadata.name] ??= []).push({
      ...p.metadata,
      created: generated.toISOString(),
      digest: p.digest,
      urls: [p.fileName],
    });
  }
  return stringify({ apiVersion: "v1", entries, generated: generated.toISOString() });
}

let cached: Promise<ChartRepository> | undefined;

/** The repository for this release, packaged on first use and kept (the chart changes only with a new release). */
export function chartRepository(dir: string = agentChartDir()): Promise<ChartRepository> {
  cached ??= packageChart(dir).then((p) => ({ packages: [p], index: repositoryIndex([p]) }));
  // A failure is not kept: the next request tries again.
  cached.catch(() => (cached = undefined));
  return cached;
}
