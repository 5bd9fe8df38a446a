// How the e2e specs and the browser benchmark run the real product: scripts/start.ts (migrations,
// production build when stale, web's server around Next.js, kas supervised beside it) on a fresh SQLite database, with
// kas's ports and the data directory following the web port, so two runs on different ports never collide.
// Everything web and kas print, at the most verbose level, is kept in the data directory (product.log) for
// log-scan.spec.ts; the console shows warnings and errors only, as before.
import path from "node:path";

const root = path.resolve(__dirname, "..");
export const DEFAULT_E2E_PORT = 3107;

export interface ProductServer {
  port: number;
  baseUrl: string;
  dataDir: string;
  /** Starts the product on a fresh database (run from the repository root). */
  command: string;
  env: Record<string, string>;
  kasAgentAddress: string;
  kasK8sProxyUrl: string;
  /** start.ts writes kas's pid here, so a spec can stop kas and watch it come back. */
  kasPidFile: string;
  /** Every line web and kas printed in this run (debug level and up). */
  logFile: string;
  /** The logs of agent processes the specs started, kept after their temporary directories go. */
  agentLogDir: string;
  /** The logs of further web replicas the specs started (web-replicas.spec.ts), one file each. */
  replicaLogDir: string;
  /** Every token, secret and session cookie the specs saw minted, one a line (log-scan.spec.ts looks for each). */
  mintedSecretsFile: string;
}

export function productServer(port: number, name = port === DEFAULT_E2E_PORT ? "e2e" : `e2e-${port}`): ProductServer {
  const dataDir = path.join(root, "data", name);
  const kasBase = 8160 + (port - DEFAULT_E2E_PORT);
  const kasPidFile = path.join(dataDir, "kas.pid");
  const logFile = path.join(dataDir, "product.log");
  return {
    port,
    baseUrl: `http://localhost:${port}`,
    dataDir,
    // pino's levels: 20 debug, 30 info; the console keeps its old quiet (warn and up, and non-JSON lines).
    command:
      `rm -rf ${dataDir} && mkdir -p ${dataDir} && npx tsx scripts/start.ts 2>&1 | tee ${logFile}` +
      ` | grep --line-buffered -v -E '^\\{"level":(20|30),'`,
    logFile,
    agentLogDir: path.join(dataDir, "agent-logs"),
    replicaLogDir: path.join(dataDir, "replica-logs"),
    mintedSecretsFile: path.join(dataDir, "minted-secrets.e2e.txt"),
    kasAgentAddress: `grpc://127.0.0.1:${kasBase}`,
    kasK8sProxyUrl: `https://127.0.0.1:${kasBase + 4}`,
    kasPidFile,
    env: {
      PORT: String(port),
      DATABASE_URL: `file:${path.join(dataDir, "tether.db")}`,
      NEXTAUTH_URL: `http://localhost:${port}`,
      // Everything, so that log-scan.spec.ts reads every line a production server could print.
      LOG_LEVEL: "debug",
      // Its own kas ports, so that a running `npm start` does not collide with the tests.
      TETHER_KAS_AGENT_ADDRESS: `127.0.0.1:${kasBase}`,
      TETHER_KAS_INTERNAL_ADDRESS: `127.0.0.1:${kasBase + 3}`,
      TETHER_KAS_OBSERVABILITY_ADDRESS: `127.0.0.1:${kasBase + 1}`,
      TETHER_KAS_K8S_PROXY_ADDRESS: `127.0.0.1:${kasBase + 4}`,
      // kas re-checks connected agents' tokens every 2 s (30 s in production), so a revoked token's
      // agent drops within seconds in agents.spec.ts.
      TETHER_KAS_TOKEN_RECHECK_MS: "2000",
      // The live-view spec stops kas to see the page say Reconnecting; start.ts starts it again.
      TETHER_KAS_PID_FILE: kasPidFile,
    },
  };
}

/** The server the e2e specs run against (TETHER_E2E_PORT, default 3107). */
export const e2eServer = productServer(Number(process.env.TETHER_E2E_PORT ?? DEFAULT_E2E_PORT));

/** Debian's Chromium, headless, quiet: as the specs and the browser benchmark launch it. */
export const chromiumLaunchOptions = {
  executablePath: process.env.TETHER_CHROMIUM ?? "/usr/bin/chromium",
  args: [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
  ],
};
