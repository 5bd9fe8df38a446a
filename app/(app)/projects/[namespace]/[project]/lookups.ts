// The project and the agent that the project pages and the agent layout show, looked up once per
// request (React cache) whichever of them asks first. What the signed-in user may not see is a 404.
import { notFound } from "next/navigation";
import { cache } from "react";
import { agentPath, findVisibleAgentByName } from "@/lib/agents";
import { db } from "@/lib/db/client";
import { NotFound } from "@/lib/errors";
import { findVisibleProject } from "@/lib/projects";
import { signedInUser } from "@/app/(app)/signed-in-user";

/** A project's URL is /projects/<namespace>/<project>: a namespace (a group or a user) is one segment, never nested. */
export interface ProjectParams {
  namespace: string;
  project: string;
}

export interface AgentParams extends ProjectParams {
  agent: string;
}

export const projectFullPath = ({ namespace, project }: ProjectParams): string => `${namespace}/${project}`;

/** Turns NotFound into Next.js's notFound(), so that it renders the 404 page with a 404 status. */
export async function orNotFound<T>(lookup: Promise<T>): Promise<T> {
  try {
    return await lookup;
  } catch (e) {
    if (e instanceof NotFound) notFound();
    throw e;
  }
}

const projectAt = cache(async (fullPath: string) => {
  const user = await signedInUser();
  return { user, ...(await orNotFound(findVisibleProject(db(), user, fullPath))) };
});

const agentAt = cache(async (fullPath: string, name: string) => {
  const user = await signedInUser();
  const found = await orNotFound(findVisibleAgentByName(db(), user, fullPath, name));
  return { user, ...found, path: agentPath(found.project.fullPath, found.agent.name) };
});

/** The signed-in user, the project and what they may do in it. */
export async function visibleProject(params: Promise<ProjectParams>) {
  return projectAt(projectFullPath(await params));
}

/** The signed-in user, the agent, its project, and the agent's page path (as stored, whatever the URL's case). */
export async function visibleAgent(params: Promise<AgentParams>) {
  const p = await params;
  return agentAt(projectFullPath(p), p.agent);
}
