// POST /api/ci/credentials {token, project?}: a CI job trades its OIDC ID token (GitHub Actions, GitLab CI,
// any issuer a project trusts) for the project's CI job credentials: a kubeconfig with a context per agent.
import { ciCredentialsResponse } from "@/lib/ci-oidc";
import { db } from "@/lib/db/client";

export const dynamic = "force-dynamic";

export async function POST(req: Request): Promise<Response> {
  return ciCredentialsResponse(db(), req);
}
