// GET /api/agents/:id/exec?namespace=&pod=&container=&command=…: a shell is a WebSocket, which web's own
// server takes before Next.js sees the request (scripts/web-server.ts, lib/pod-shell). A plain GET
// reaches this handler: it says how to open one (426), or 401 when the session is gone, which the page
// asks when its WebSocket could not open (a browser does not show a refused handshake's status).
import { errorResponse } from "@/lib/http/body";
import { withSession } from "@/lib/api-auth";

export const dynamic = "force-dynamic";

export const GET = withSession(async () => {
  const res = errorResponse(
    426,
    "A shell is a WebSocket: open this address with Upgrade: websocket from Tether's pages (the pod drawer's Shell)",
  );
  res.headers.set("upgrade", "websocket");
  return res;
});
