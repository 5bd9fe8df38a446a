// kas entry point: `tsx kas/main.ts` (npm start runs it beside web). Configuration: kas/config.ts.
import { installLeanAsyncResourceBind } from "../lib/common/async-bind";
import { createLogger } from "../lib/common/logger";
import { loadKasConfig } from "./config";
import { startKas } from "./server";

const log = createLogger("kas");

async function main(): Promise<void> {
  // kas's gRPC calls (a request forwarded to another replica, dialling a receptive agent) are HTTP/2 streams too (lib/common/async-bind.ts).
  installLeanAsyncResourceBind();
  const config = loadKasConfig();
  const kas = await startKas(config, log);
  let stopping = false;
  const stop = (signal: string) => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, "kas stopping");
    kas.stop().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on("SIGTERM", () => stop("SIGTERM"));
  process.on("SIGINT", () => stop("SIGINT"));
}

main().catch((e: unknown) => {
  log.fatal({ err: (e as Error).message }, "kas failed to start");
  process.exit(1);
});
