// `npm run build:web-server`, after `next build` with standalone output (TETHER_NEXT_OUTPUT=standalone): bundles
// web's own server (scripts/web-server.ts and what it loads: the shell's server side, the tunnel client, the
// database client) with esbuild into the standalone folder as server.js, in place of the server.js Next.js writes
// there, which has no handler for the shell's WebSocket upgrade. The web image runs it (deploy/web/Dockerfile).
// Next.js itself and the packages next.config.ts keeps outside Next.js's bundle (pg, better-sqlite3's and argon2's
// native modules, pino, ioredis) stay outside this bundle too: they are loaded from the standalone output's
// node_modules, where Next.js's tracing put them for its own server. Prisma's driver adapters are the exception:
// Next.js imports them, so the tracing keeps only their ES module build, and this CommonJS bundle would require()
// the other one; they are small and bundled. The build fails when a package the bundle loads is not there.
//   TETHER_NEXT_DIST_DIR (.next): the Next.js build folder, as next.config.ts reads it.
import { createRequire } from "node:module";
import fs from "node:fs";
import path from "node:path";
import { build } from "esbuild";
import nextConfig from "../next.config";

const root = path.resolve(__dirname, "..");

/** The package a module specifier names (`@scope/name/sub` → `@scope/name`). */
function packageOf(specifier: string): string {
  const parts = specifier.split("/");
  return parts.slice(0, specifier.startsWith("@") ? 2 : 1).join("/");
}

async function buildWebServer(distDir: string): Promise<string> {
  const standalone = path.join(root, distDir, "standalone");
  const manifest = path.join(standalone, distDir, "required-server-files.json");
  if (!fs.existsSync(manifest))
    throw new Error(`${manifest} is missing: run \`next build\` with TETHER_NEXT_OUTPUT=standalone first`);
  const external = [
    "next",
    ...(nextConfig.serverExternalPackages ?? []).filter((p) => !p.startsWith("@prisma/adapter-")),
  ];
  const outfile = path.join(standalone, "server.js");
  const result = await build({
    entryPoints: [path.join(root, "scripts", "web-server.ts")],
    bundle: true,
    platform: "node",
    target: "node20",
    format: "cjs",
    sourcemap: true,
    outfile,
    external,
    define: { TETHER_STANDALONE_DIST_DIR: JSON.stringify(distDir) },
    metafile: true,
    logLevel: "warning",
  });
  // Every package left outside the bundle that it loads must be in the standalone output (and nothing above it).
  const load = createRequire(outfile);
  const missing = new Set<string>();
  for (const input of Object.values(result.metafile.inputs))
    for (const imported of input.imports) {
      if (!imported.external || !external.includes(packageOf(imported.path))) continue;
      try {
        const resolved = load.resolve(imported.path);
        if (path.relative(standalone, resolved).startsWith("..")) missing.add(imported.path);
      } catch {
        missing.add(imported.path);
      }
    }
  if (missing.size > 0)
    throw new Error(
      `the standalone output's node_modules lacks ${[...missing].join(", ")}, which ${path.relative(root, outfile)} loads`,
    );
  return outfile;
}

buildWebServer(process.env.TETHER_NEXT_DIST_DIR ?? ".next").then(
  (file) => console.log(`web server: ${path.relative(root, file)}`),
  (e: unknown) => {
    console.error(`build:web-server: ${(e as Error).message}`);
    process.exit(1);
  },
);
