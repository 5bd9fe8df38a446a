// kas → web internal API (JWT signed with the shared secret). Logic: lib/agents/kas-internal.ts.
import { handleKasInternal } from "@/lib/agents/kas-internal";
import { db } from "@/lib/db/client";

export const dynamic = "force-dynamic";

export async function POST(req: Request, ctx: { params: Promise<{ action: string }> }): Promise<Response> {
  const { action } = await ctx.params;
  return handleKasInternal(db(), action, req);
}
