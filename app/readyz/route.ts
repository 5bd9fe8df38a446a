// GET /readyz: web's readiness probe: 200 when the database answers, 503 otherwise (the pod leaves the Service).
import { db } from "@/lib/db/client";
import { readinessResponse } from "@/lib/health";

export const dynamic = "force-dynamic";

export async function GET(): Promise<Response> {
  return readinessResponse(db());
}
