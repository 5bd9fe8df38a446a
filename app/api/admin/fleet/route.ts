// GET /api/admin/fleet?not_connected=1&unsupported=1&skew=1&q=&sort=&dir=: every agent of the installation
// with its connection state (asked of kas), versions and support status, every project and group, and kas's
// health as web sees it. Administrators only; anyone else: not found.
import { withActor } from "@/lib/api-auth";
import { db } from "@/lib/db/client";
import { fleetView, parseFleetQuery } from "@/lib/fleet";
import { kasStatuses } from "@/lib/kas-bridge";

export const dynamic = "force-dynamic";

export const GET = withActor(async (user, req) => {
  const query = parseFleetQuery(new URL(req.url).searchParams);
  return Response.json(await fleetView(db(), user, kasStatuses, query), { headers: { "cache-control": "no-store" } });
});
