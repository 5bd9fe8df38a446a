// web's HTTP server: Next.js through its custom-server API, plus the WebSocket upgrades that Next.js route
// handlers cannot take: a pod's shell (`GET /api/agents/:id/exec`, lib/pod-shell). Every other upgrade
// (the dev server's hot reload) goes to Next.js. scripts/start.ts runs this (`npm start`, `npm run dev`,
// the e2e specs); `--dev` serves the development build.
//   PORT (3000), HOSTNAME_BIND (127.0.0.1), TETHER_SHELL_MAX_PER_USER (5), TETHER_SHELL_IDLE_MINUTES (15)
import { EventEmitter } from "node:events";
import http from "node:http";
import path from "node:path";
import { z } from "zod";

const root = path.resolve(__dirname, "..");
const dev = process.argv.includes("--dev");
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

async function main(): Promise<void> {
  const parsed = settings.safeParse(process.env);
  if (!parsed.success) throw new Error(parsed.error.issues.map((i) => `${String(i.path[0])}: ${i.message}`).join("; "));
  const env = parsed.data;
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
  const app = next({ dev, dir: root, hostname: env.HOSTNAME_BIND, port: env.PORT, httpServer: standIn });
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
  server.on("upgrade", (req: http.IncomingMessage, socket, head: Buffer) => {
    const pathname = (req.url ?? "/").split("?")[0] ?? "/";
    if (EXEC_PATH.test(pathname)) shells.handleUpgrade(req, socket, head);
    else void nextUpgrade(req, socket, head);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(env.PORT, env.HOSTNAME_BIND, resolve);
  });
  logger.info({ port: env.PORT, dev }, `web: listening on http://${env.HOSTNAME_BIND}:${env.PORT}`);

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
