// The web image without Docker: the standalone build its Dockerfile makes (`next build` with
// TETHER_NEXT_OUTPUT=standalone, then `npm run build:web-server`, which puts web's own server in it as server.js),
// and the runtime stage's COPY lines applied to a folder of our own, so a test can start exactly what the image
// holds. The build goes to .next-standalone (not .next, which `npm start` and the end-to-end tests use) and is
// reused while it is newer than the sources, like scripts/start.ts's build; the server's bundle is made every time
// (seconds).
import { execFile } from "node:child_process";
import fs from "node:fs";
import path from "node:path";
import { promisify } from "node:util";
import { z } from "zod";

const root = path.resolve(__dirname, "..", "..");
export const DOCKERFILE = path.join(__dirname, "Dockerfile");
export const STANDALONE_DIST_DIR = ".next-standalone";

/** One `COPY --from=build <src> <dest>` of the Dockerfile's last stage. */
export interface ImageCopy {
  from: string;
  to: string;
}

/** The runtime stage's copies from the build stage, in order; its WORKDIR must be /app and the build's /src. */
export function runtimeCopies(dockerfile: string): ImageCopy[] {
  const stages = dockerfile.split(/^FROM /m).slice(1);
  const build = stages[0] ?? "";
  const runtime = stages.at(-1) ?? "";
  if (!/^WORKDIR \/src$/m.test(build)) throw new Error("the web Dockerfile's build stage must work in /src");
  if (!/^WORKDIR \/app$/m.test(runtime)) throw new Error("the web Dockerfile's runtime stage must work in /app");
  return [...runtime.matchAll(/^COPY --from=build (\S+) (\S+)$/gm)].map((m) => ({ from: m[1]!, to: m[2]! }));
}

/** The runtime stage's CMD (exec form) as node's arguments: `CMD ["node", "server.js"]` → ["server.js"]. */
export function imageNodeArgs(dockerfile: string): string[] {
  const runtime = dockerfile.split(/^FROM /m).at(-1) ?? "";
  const cmd = /^CMD (\[.*\])$/m.exec(runtime)?.[1];
  if (!cmd) throw new Error("the web Dockerfile's runtime stage has no CMD in exec form");
  const words = z.array(z.string()).parse(JSON.parse(cmd));
  if (words[0] !== "node") throw new Error(`the web image's CMD runs ${words[0]}, not node`);
  return words.slice(1);
}

function newestSource(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === "node_modules" || entry.name === "generated" || entry.name.startsWith(".")) continue;
    const p = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestSource(p) : fs.statSync(p).mtimeMs);
  }
  return newest;
}

function standaloneIsCurrent(): boolean {
  const id = path.join(root, STANDALONE_DIST_DIR, "BUILD_ID");
  const config = path.join(root, STANDALONE_DIST_DIR, "standalone", STANDALONE_DIST_DIR, "required-server-files.json");
  if (!fs.existsSync(id) || !fs.existsSync(config)) return false;
  const built = fs.statSync(id).mtimeMs;
  const dirs = ["app", "components", "lib", "public", "proto", "deploy/agent"].map((d) => path.join(root, d));
  const files = ["next.config.ts", "proxy.ts", "package-lock.json", "postcss.config.mjs"].map(
    (f) => fs.statSync(path.join(root, f)).mtimeMs,
  );
  return Math.max(...dirs.filter((d) => fs.existsSync(d)).map(newestSource), ...files) < built;
}

/**
 * The Dockerfile's build stage, here: `next build` with standalone output (only when the last one is older
 * than the sources; several minutes on two busy cores), `npm run build:web-server` and `npm run build:migrate`
 * (seconds each).
 */
export async function buildWebImageParts(log: (m: string) => void = console.log): Promise<{ rebuilt: boolean }> {
  const env = { ...process.env, NEXT_TELEMETRY_DISABLED: "1" };
  let rebuilt = false;
  if (!standaloneIsCurrent()) {
    const t0 = Date.now();
    log(`web image: next build with standalone output into ${STANDALONE_DIST_DIR} (sources changed)…`);
    await promisify(execFile)(path.join(root, "node_modules", ".bin", "next"), ["build"], {
      cwd: root,
      env: { ...env, TETHER_NEXT_OUTPUT: "standalone", TETHER_NEXT_DIST_DIR: STANDALONE_DIST_DIR },
      maxBuffer: 64 * 1024 * 1024,
    }).catch((e: Error & { stdout?: string }) => {
      // next prints the reason (type errors, a failed page) on stdout, before its warnings.
      const reasons = (e.stdout ?? "").split("\n").filter((l) => /error|failed/i.test(l));
      throw new Error(`next build (standalone) failed: ${e.message}\n${reasons.slice(0, 40).join("\n")}`);
    });
    log(`web image: built in ${Math.round((Date.now() - t0) / 1000)} s`);
    rebuilt = true;
  }
  // Independent of each other: side by side.
  await Promise.all([
    promisify(execFile)("npm", ["run", "build:web-server"], {
      cwd: root,
      env: { ...env, TETHER_NEXT_DIST_DIR: STANDALONE_DIST_DIR },
    }),
    promisify(execFile)("npm", ["run", "build:migrate"], { cwd: root, env }),
  ]);
  return { rebuilt };
}

/** Applies the runtime stage's COPY lines to `dir` as Docker would to /app (build folder .next → .next-standalone). */
export function assembleWebImage(dir: string, dockerfile: string = fs.readFileSync(DOCKERFILE, "utf8")): ImageCopy[] {
  const copies = runtimeCopies(dockerfile);
  const local = (p: string) => p.replace(/^\.next(?=\/|$)/, STANDALONE_DIST_DIR);
  for (const { from, to } of copies) {
    if (!from.startsWith("/src/")) throw new Error(`COPY --from=build ${from}: expected a path under /src`);
    const src = path.join(root, local(from.slice("/src/".length)));
    const dest = path.resolve(dir, local(to.replace(/^\.\//, "")));
    if (!fs.existsSync(src)) throw new Error(`COPY --from=build ${from}: ${src} does not exist`);
    // `COPY a/ ./` copies a's contents; `COPY a ./b` makes b. Symbolic links are copied as they are, like Docker
    // does (Turbopack links the external packages relatively, within the standalone folder).
    fs.cpSync(src, dest, { recursive: true, dereference: false, verbatimSymlinks: true });
  }
  return copies;
}
