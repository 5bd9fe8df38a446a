// GET /api/agents/:id/exec?namespace=&pod=&container=&command=…: a shell is a WebSocket, which web's own
// server takes before Next.js sees the request (scripts/web-server.ts, lib/pod-shell). A plain GET
// reaches this handler: it says how to open one (426) to someone who may see the agent, 404 to anyone
// else (as every agent route does), or 401 when the session is gone, which the page asks when its
// WebSocket could not open (a browser does not show a refused handshake's status).
import { viewerIdentity } from "@/lib/cluster-cache/web";
import { db } from "@/lib/db/client";
import { errorResponse } from "@/lib/http/body";
import { withSession } from "@/lib/api-auth";

export const dynamic = "force-dynamic";

type Ctx = { params: Promise<{ id: string }> };

export const GET = withSession(async (user, _req, ctx: Ctx) => {
  const { id } = await ctx.params;
  await viewerIdentity(db(), user, id); // NotFound (404) for an agent the user may not see
  const res = errorResponse(
    426,
    "A shell is a WebSocket: open this address with Upgrade: websocket from Tether's pages (the pod drawer's Shell)",
  );
  res.headers.set("upgrade", "websocket");
  return res;
});
