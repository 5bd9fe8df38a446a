// web's HTTP server: Next.js through its custom-server API, plus the WebSocket upgrades that Next.js route
// handlers cannot take: a pod's shell (`GET /api/agents/:id/exec`, lib/pod-shell). Every other upgrade
// (the dev server's hot reload) goes to Next.js. It runs two ways:
//  - from the sources with tsx: scripts/start.ts runs it (`npm start`, `npm run dev`, the e2e specs) on the
//    repository's own build; `--dev` serves the development build.
//  - bundled, as the web image's server.js (scripts/build-web-server.ts puts it in Next.js's standalone output, in
//    place of the server.js Next.js writes there, which has no handler for the shell's upgrade). It then starts
//    Next.js as that one does: the build's configuration from <distDir>/required-server-files.json (handed to
//    Next.js in __NEXT_PRIVATE_STANDALONE_CONFIG, so next.config.ts is never loaded), its own folder as Next.js's
//    directory and the working directory, the address in HOSTNAME (0.0.0.0; the chart: "::") and KEEP_ALIVE_TIMEOUT (ms).
//   PORT (3000), HOSTNAME_BIND (127.0.0.1; the image: HOSTNAME), TETHER_SHELL_MAX_PER_USER (5),
//   TETHER_SHELL_IDLE_MINUTES (15)
import { EventEmitter } from "node:events";
import fs from "node:fs";
import http from "node:http";
import path from "node:path";
import { z } from "zod";
import { installLeanAsyncResourceBind } from "../lib/common/async-bind";

// Defined by scripts/build-web-server.ts when it bundles this file into the standalone output: the name of the
// Next.js build folder beside it (.next). Not defined when tsx runs the sources.
declare const TETHER_STANDALONE_DIST_DIR: string | undefined;
const standaloneDistDir = typeof TETHER_STANDALONE_DIST_DIR === "string" ? TETHER_STANDALONE_DIST_DIR : null;
const root = standaloneDistDir ? __dirname : path.resolve(__dirname, "..");
const dev = !standaloneDistDir && process.argv.includes("--dev");
// As `next start` / `next dev` set it, before Next.js (and React) are loaded.
(process.env as Record<string, string>).NODE_ENV = dev ? "development" : "production";

const settings = z.object({
  PORT: z.coerce.number().int().min(1).max(65535).default(3000),
  HOSTNAME_BIND: z.string().min(1).default("127.0.0.1"),
  TETHER_SHELL_MAX_PER_USER: z.coerce.number().int().min(1).max(100).default(5),
  TETHER_SHELL_IDLE_MINUTES: z.coerce
    .number()
    .min(0.05)
    .max(24 * 60)
    .default(15),
});

/** The image's settings, named as Next.js's standalone server.js names them (the Dockerfile and the chart set them). */
const standaloneSettings = z.object({
  // Empty counts as unset, as it does for Next.js's server.js.
  HOSTNAME: z
    .string()
    .optional()
    .transform((h) => h || "0.0.0.0"),
  KEEP_ALIVE_TIMEOUT: z.coerce.number().int().min(1).optional(),
});

/** Next.js's configuration in the standalone output: what the build wrote, as the build resolved it. */
const requiredServerFiles = z.object({ config: z.looseObject({ distDir: z.string() }) });

function parseEnv<T extends z.ZodType>(schema: T): z.output<T> {
  const parsed = schema.safeParse(process.env);
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`).join("; "));
  return parsed.data;
}

/** What Next.js's standalone server.js does before it starts Next.js, for a server of our own. */
function startLikeStandaloneServer(distDir: string): void {
  process.chdir(root);
  const file = path.join(root, distDir, "required-server-files.json");
  const { config } = requiredServerFiles.parse(JSON.parse(fs.readFileSync(file, "utf8")));
  if (config.distDir !== distDir)
    throw new Error(`${file} was written for the build folder ${config.distDir}, not ${distDir}`);
  process.env.__NEXT_PRIVATE_STANDALONE_CONFIG = JSON.stringify(config);
}

async function main(): Promise<void> {
  // web's tunnel client makes one gRPC call (an HTTP/2 stream) per request to kas, which binds once per
  // request; Node 20's bind for it costs more than it should (lib/common/async-bind.ts).
  installLeanAsyncResourceBind();
  const env = parseEnv(settings);
  let host = env.HOSTNAME_BIND;
  let keepAliveTimeout: number | undefined;
  if (standaloneDistDir) {
    const image = parseEnv(standaloneSettings);
    host = image.HOSTNAME;
    keepAliveTimeout = image.KEEP_ALIVE_TIMEOUT;
    startLikeStandaloneServer(standaloneDistDir);
  }
  const { default: next } = await import("next");
  const { createShellServer, EXEC_PATH } = await import("../lib/pod-shell");
  const { TunnelClient } = await import("../lib/tunnel-client");
  const { readSharedSecret } = await import("../lib/common/internal-jwt");
  const { sharedSecretFile } = await import("../lib/kas-bridge");
  const { db } = await import("../lib/db/client");
  const { logger } = await import("../lib/log/logger");

  // Next.js adds its own "upgrade" listener to the server it is given (else, at the first request, to that
  // request's server), and it ends every upgrade it does not know: the shell's too, while the shell still
  // checks the session. It gets a stand-in that never emits; this server hands Next.js its own upgrades.
  const standIn = new EventEmitter() as unknown as http.Server;
  const app = next({ dev, dir: root, hostname: host, port: env.PORT, httpServer: standIn });
  await app.prepare();
  const handle = app.getRequestHandler();
  const nextUpgrade = app.getUpgradeHandler();
  const tunnel = new TunnelClient({
    kasAddress: process.env.TETHER_KAS_INTERNAL_ADDRESS ?? "127.0.0.1:8153",
    secret: readSharedSecret(sharedSecretFile()),
  });
  const shells = createShellServer({
    db: db(),
    tunnel,
    extraOrigins: process.env.NEXTAUTH_URL ? [process.env.NEXTAUTH_URL] : [],
    maxPerUser: env.TETHER_SHELL_MAX_PER_USER,
    idleMs: env.TETHER_SHELL_IDLE_MINUTES * 60_000,
  });

  const server = http.createServer((req, res) => void handle(req, res));
  if (keepAliveTimeout) server.keepAliveTimeout = keepAliveTimeout;
  server.on("upgrade", (req: http.IncomingMessage, socket, head: Buffer) => {
    const pathname = (req.url ?? "/").split("?")[0] ?? "/";
    if (EXEC_PATH.test(pathname)) shells.handleUpgrade(req, socket, head);
    else void nextUpgrade(req, socket, head);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(env.PORT, host, resolve);
  });
  logger.info(
    { port: env.PORT, dev, standalone: standaloneDistDir !== null },
    `web: listening on http://${host.includes(":") ? `[${host}]` : host}:${env.PORT}`,
  );

  let stopping = false;
  const stop = () => {
    if (stopping) return;
    stopping = true;
    shells.close();
    server.close();
    server.closeAllConnections();
    tunnel.close();
    void app.close().finally(() => process.exit(0));
    setTimeout(() => process.exit(0), 5_000).unref();
  };
  process.on("SIGINT", stop);
  process.on("SIGTERM", stop);
}

main().catch((e: unknown) => {
  console.error(`web: ${(e as Error).message}`);
  process.exit(1);
});
