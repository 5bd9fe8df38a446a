// The demo's GitOps corner (`npm run demo`): a git server serving the demo/gitops repository (seeded
// once with a namespace, a ConfigMap and a Deployment whose pods kwok runs), Flux's controllers, and
// the GitRepository + Kustomization "demo-gitops" through which Flux applies its deploy/ folder.
import type { TestbedState } from "../cluster";
import type { Log } from "../run";
import { type Flux, startFlux } from "./controllers";
import { type GitServer, commitAndPush, git, startGitServer } from "./git-server";
import { applyGitOpsSource } from "./objects";

export const DEMO_GITOPS_REPO = "demo/gitops";
/** Name of the GitRepository and the Kustomization in flux-system. */
export const DEMO_GITOPS_NAME = "demo-gitops";

/** What demo/gitops holds at first: a namespace, a ConfigMap and a Deployment whose pods kwok runs. */
export const DEMO_GITOPS_FILES: Record<string, string> = {
  "README.md": `# demo/gitops

Flux applies everything under deploy/ to the demo cluster (GitRepository and Kustomization
"demo-gitops" in flux-system). Change a file, commit and push; Flux picks it up within a minute, or at
once when a reconcile is requested.
`,
  "deploy/namespace.yaml": `apiVersion: v1
kind: Namespace
metadata:
  name: demo-gitops
`,
  "deploy/configmap.yaml": `apiVersion: v1
kind: ConfigMap
metadata:
  name: greeting
  namespace: demo-gitops
data:
  message: hello from git
`,
  "deploy/deployment.yaml": `apiVersion: apps/v1
kind: Deployment
metadata:
  name: hello
  namespace: demo-gitops
spec:
  replicas: 2
  selector:
    matchLabels: { app: hello }
  template:
    metadata:
      labels: { app: hello }
    spec:
      containers:
        - name: hello
          image: nginx:1.27
`,
};

export interface DemoGitOps {
  git: GitServer;
  flux: Flux;
  stop(): Promise<void>;
}

/**
 * Starts the git server on `dataDir` (seeding demo/gitops if it has no commit yet, so a user's pushes
 * survive restarts), then Flux, then applies the demo's GitRepository and Kustomization (interval 1m).
 */
export async function startDemoGitOps(
  tb: Pick<TestbedState, "dir" | "server" | "caFile" | "adminToken" | "kubeconfig">,
  opts: { dataDir: string; port?: number; log?: Log },
): Promise<DemoGitOps> {
  const gitServer = await startGitServer({ dataDir: opts.dataDir, port: opts.port, log: opts.log });
  let flux: Flux | undefined;
  try {
    await gitServer.createRepository(DEMO_GITOPS_REPO);
    const heads = await git(["ls-remote", "--heads", gitServer.repoUrl(DEMO_GITOPS_REPO), "main"]);
    if (!heads.trim())
      await commitAndPush(gitServer, DEMO_GITOPS_REPO, DEMO_GITOPS_FILES, "Demo workload applied by Flux");
    flux = await startFlux(tb, { log: opts.log });
    await applyGitOpsSource(tb, { name: DEMO_GITOPS_NAME, url: gitServer.repoUrl(DEMO_GITOPS_REPO), interval: "1m" });
  } catch (e) {
    await flux?.stop();
    await gitServer.close();
    throw e;
  }
  const started = flux;
  return {
    git: gitServer,
    flux: started,
    stop: async () => {
      await started.stop();
      await gitServer.close();
    },
  };
}
