// `npm run demo`'s account side: the demo user (the installation's administrator when it is the first
// account), its project demo/demo-cluster, the agent "testbed" with a configuration whose user_access lets
// the project's members use the agent as the agent itself, and a fresh agent token. The demo agent runs
// with the testbed's administrator credentials, so its owner sees the whole cluster at once (without
// user_access they would be impersonated, and the testbed has no RBAC for them: "you cannot list …").
import { currentAgentConfig, saveAgentConfig } from "../lib/agent-config";
import { createAgentToken, registerAgent } from "../lib/agents";
import { hashPassword } from "../lib/auth/password";
import type { Db } from "../lib/db/client";

export const DEMO_EMAIL = "demo@example.com";
export const DEMO_PASSWORD = "tether-demo";
export const DEMO_PROJECT = "demo/demo-cluster";
export const DEMO_AGENT = "testbed";

/** The demo's user_access: the project's members use the agent as the agent itself (access_as agent). */
export const DEMO_USER_ACCESS_YAML = `# Written by npm run demo: members of ${DEMO_PROJECT} use this agent as the agent itself, which
# runs with the testbed's administrator credentials, so they see the whole cluster at once.
user_access:
  access_as:
    agent: {}
  projects:
    - id: ${DEMO_PROJECT}
`;

export interface DemoSetup {
  userId: string;
  projectId: string;
  agentId: string;
  /** The new agent token, in clear text (written to a 0600 file by the demo). */
  token: string;
  /** What was done to the configuration: written now, or kept as the user had changed it. */
  userAccess: "written" | "kept";
}

export async function prepareDemo(db: Db): Promise<DemoSetup> {
  let user = await db.user.findUnique({ where: { email: DEMO_EMAIL } });
  // The first account of an installation administers it, as a sign-up would make it (the fleet view, the audit log).
  user ??= await db.user.create({
    data: {
      email: DEMO_EMAIL,
      username: "demo",
      name: "Demo Admin",
      passwordHash: await hashPassword(DEMO_PASSWORD),
      isAdmin: (await db.user.count()) === 0,
    },
  });
  let project = await db.project.findUnique({ where: { fullPath: DEMO_PROJECT } });
  project ??= await db.project.create({
    data: {
      name: "Demo cluster",
      path: "demo-cluster",
      fullPath: DEMO_PROJECT,
      ownerUserId: user.id,
      description: "A project with an agent in the testbed cluster",
    },
  });
  const actor = { id: user.id, isAdmin: user.isAdmin };
  const agent =
    (await db.agent.findFirst({ where: { projectId: project.id, name: DEMO_AGENT } })) ??
    (await registerAgent(db, actor, project.id, { name: DEMO_AGENT }));

  // user_access is added when the configuration has none; one the user wrote themselves is kept.
  const current = await currentAgentConfig(db, agent.id, { ifInvalid: "empty" });
  let userAccess: DemoSetup["userAccess"] = "kept";
  if (!current.data.user_access) {
    const before = current.yaml.trim();
    await saveAgentConfig(db, actor, agent.id, before ? `${before}\n${DEMO_USER_ACCESS_YAML}` : DEMO_USER_ACCESS_YAML, {
      expectedVersion: current.version,
    });
    userAccess = "written";
  }

  // A fresh token per run; the previous demo tokens are revoked so the two-token limit never bites.
  await db.agentToken.updateMany({
    where: { agentId: agent.id, revokedAt: null },
    data: { revokedAt: new Date(), revokedById: user.id },
  });
  const { token } = await createAgentToken(db, actor, agent.id, {
    name: "demo",
    description: "created by npm run demo",
  });
  return { userId: user.id, projectId: project.id, agentId: agent.id, token, userAccess };
}
