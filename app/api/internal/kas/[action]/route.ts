// kas → web internal API (JWT signed with the shared secret). Logic: lib/kas-bridge.
import { handleKasInternal } from "@/lib/kas-bridge";
import { db } from "@/lib/db/client";

export const dynamic = "force-dynamic";

export async function POST(req: Request, ctx: { params: Promise<{ action: string }> }): Promise<Response> {
  const { action } = await ctx.params;
  return handleKasInternal(db(), action, req);
}
