// POST /api/webhooks/git/:id: a forge's push delivery for a project's repository webhook. No session or
// token: the delivery proves the webhook's secret (X-Gitlab-Token, or X-Hub-Signature-256). Logic: lib/gitops.
import { db } from "@/lib/db/client";
import { kasPushNotifier, MAX_DELIVERY_BYTES, receiveDelivery } from "@/lib/gitops";
import { readBodyBytes } from "@/lib/http/body";
import { toResponse } from "@/lib/http/errors";

export const dynamic = "force-dynamic";

export async function POST(req: Request, ctx: { params: Promise<{ id: string }> }): Promise<Response> {
  const { id } = await ctx.params;
  try {
    const body = await readBodyBytes(req, MAX_DELIVERY_BYTES);
    const ip = req.headers.get("x-forwarded-for")?.split(",")[0]?.trim();
    const answer = await receiveDelivery(db(), id, req.headers, body, kasPushNotifier(), ip);
    return Response.json(answer.body, { status: answer.status });
  } catch (e) {
    return toResponse(e);
  }
}
