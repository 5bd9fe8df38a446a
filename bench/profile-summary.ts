// `npx tsx bench/profile-summary.ts <file.cpuprofile> [top]`: where a V8 CPU profile (BENCH_CPU_PROF_DIR)
// spent its time — self time per function (with its file and line) and per file, largest first — so a
// note can show what the CPU goes to without opening DevTools.
import fs from "node:fs";
import path from "node:path";
import { z } from "zod";

const profileSchema = z.object({
  nodes: z.array(
    z.object({
      id: z.number(),
      callFrame: z.object({ functionName: z.string(), url: z.string(), lineNumber: z.number() }),
    }),
  ),
  samples: z.array(z.number()),
  timeDeltas: z.array(z.number()),
});

/** Self time per function and per file, largest first, as printable lines; `profile` as V8 or CDP gives it. */
export function summarizeProfile(raw: unknown, top = 25): string {
  const profile = profileSchema.parse(raw);
  const byId = new Map(profile.nodes.map((n) => [n.id, n.callFrame]));
  const self = new Map<string, number>();
  const perFile = new Map<string, number>();
  let total = 0;
  profile.samples.forEach((id, i) => {
    const us = profile.timeDeltas[i] ?? 0;
    const f = byId.get(id);
    if (!f) return;
    total += us;
    const where = f.url ? `${path.basename(f.url)}:${f.lineNumber + 1}` : "(native)";
    const key = `${f.functionName || "(anonymous)"}  ${where}`;
    self.set(key, (self.get(key) ?? 0) + us);
    const fileKey = f.url
      ? f.url.replace(/^file:\/\//, "").replace(/.*node_modules\//, "node_modules/")
      : f.functionName;
    perFile.set(fileKey, (perFile.get(fileKey) ?? 0) + us);
  });
  const busy = total - (self.get("(idle)  (native)") ?? 0);
  const lines = [`${(total / 1e6).toFixed(1)} s sampled, ${(busy / 1e6).toFixed(1)} s busy (not idle)`];
  const section = (title: string, m: Map<string, number>) => {
    lines.push("", title);
    for (const [k, us] of [...m].sort((a, b) => b[1] - a[1]).slice(0, top))
      lines.push(`${(us / 1000).toFixed(0).padStart(8)} ms ${((100 * us) / busy).toFixed(1).padStart(5)} %  ${k}`);
  };
  section("self time per function (share of busy time)", self);
  section("self time per file", perFile);
  return lines.join("\n");
}

function main(): void {
  const [file, topArg] = process.argv.slice(2);
  if (!file) {
    console.error("usage: npx tsx bench/profile-summary.ts <file.cpuprofile> [top]");
    process.exit(2);
  }
  console.log(`${file}: ${summarizeProfile(JSON.parse(fs.readFileSync(file, "utf8")), Number(topArg ?? 25))}`);
}

// Run as a command, not when a bench imports summarizeProfile.
if (path.basename(process.argv[1] ?? "") === "profile-summary.ts") main();
