// POST /api/projects/:id/ci-job-tokens {jobName, ttlMinutes}: what a CI system does when a job starts
// (developers and above of the project). Answers the job token and, for every agent the project's CI
// jobs may use, the credential `ci:<agent-id>:<token>` and a kubeconfig; `kubeconfig` holds a context
// per agent, for the job's KUBECONFIG variable.
import { mintCiJobCredentials } from "@/lib/kubectl-access";
import { db } from "@/lib/db/client";
import { readJsonBody, withActor } from "@/lib/api-auth";

export const dynamic = "force-dynamic";

export const POST = withActor(async (user, req, ctx: { params: Promise<{ id: string }> }) => {
  const { id } = await ctx.params;
  const body = await readJsonBody(req);
  return Response.json(await mintCiJobCredentials(db(), user, id, body), {
    status: 201,
    headers: { "cache-control": "no-store" },
  });
});
