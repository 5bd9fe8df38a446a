// GET /healthz: web's liveness probe (the process serves requests). Public and cheap, like kas's and the agent's.
import { livenessResponse } from "@/lib/health";

export const dynamic = "force-dynamic";

export function GET(): Response {
  return livenessResponse();
}
