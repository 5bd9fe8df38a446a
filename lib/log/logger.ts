// web's structured JSON logs, configured like kas's and the agent's (lib/common/logger.ts).
import { createLogger } from "@/lib/common/logger";

export const logger = createLogger(process.env.TETHER_SERVICE ?? "web");
