// The agent's Overview tab, and deleting the agent for maintainers and owners.
import { AgentOverview } from "@/components/agents/agent-overview";
import { DeleteWithConfirmation } from "@/components/ui/delete-with-confirmation";
import { plural } from "@/components/ui/plural";
import { clustersPath } from "@/lib/agents";
import { db } from "@/lib/db/client";
import { visibleAgent, type AgentParams } from "../../../../lookups";
import { agentTabMetadata, agentTabPath } from "../tabs";

export const generateMetadata = agentTabMetadata("overview");

export default async function AgentOverviewPage({ params }: { params: Promise<AgentParams> }) {
  const { agent, project, canManage, path } = await visibleAgent(params);
  const activeTokens = canManage ? await db().agentToken.count({ where: { agentId: agent.id, revokedAt: null } }) : 0;
  return (
    <>
      <AgentOverview agentId={agent.id} tokensHref={agentTabPath(path, "tokens")} callbackUrl={path} />
      {canManage ? (
        <section
          aria-labelledby="delete-agent-heading"
          className="mt-10 border-t border-zinc-200 pt-6 dark:border-zinc-800"
        >
          <h2 id="delete-agent-heading" className="mb-2 text-lg font-semibold">
            Delete this agent
          </h2>
          <p className="mb-4 max-w-2xl text-sm text-zinc-600 dark:text-zinc-400">
            Its tokens stop working and the agent is disconnected; it is no longer shared with any project or group. The
            audit log keeps its history.
          </p>
          <DeleteWithConfirmation
            url={`/api/agents/${encodeURIComponent(agent.id)}`}
            what="agent"
            name={agent.name}
            afterHref={clustersPath(project.fullPath)}
          >
            <p>
              Deleting agent {agent.name} revokes its {plural(activeTokens, "active token")} (kas disconnects the agent
              within a minute), removes it from every project and group it is shared with, and deletes its configuration
              history.
            </p>
          </DeleteWithConfirmation>
        </section>
      ) : null}
    </>
  );
}
