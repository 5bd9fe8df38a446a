// POST /api/agents/:id/kubeconfig (browser session only): a personal access token (k8s_proxy, 30 days) and a kubeconfig for
// this agent with it, for anyone who can see the agent. Shown once; kas checks user_access on each use.
import { createPersonalKubeconfig } from "@/lib/kubectl-access";
import { db } from "@/lib/db/client";
import { readJsonBody, withSession } from "@/lib/api-auth";

export const dynamic = "force-dynamic";

export const POST = withSession(async (user, req, ctx: { params: Promise<{ id: string }> }) => {
  const { id } = await ctx.params;
  // Nothing to read, but only a JSON request (never a cross-site form post) makes a token.
  await readJsonBody(req);
  return Response.json(await createPersonalKubeconfig(db(), user, id), {
    status: 201,
    headers: { "cache-control": "no-store" },
  });
});
