import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { AddMemberForm } from "@/components/groups/add-member-form";
import { EditGroupForm } from "@/components/groups/edit-group-form";
import { MemberRoleSelect, RemoveMemberButton } from "@/components/groups/member-actions";
import { DeleteWithConfirmation } from "@/components/ui/delete-with-confirmation";
import { plural } from "@/components/ui/plural";
import { PageHeader } from "@/components/shell/app-shell";
import { LinkButton } from "@/components/ui/link-button";
import { EmptyState } from "@/components/ui/states";
import { assignableRoles, can } from "@/lib/access";
import { requireUser } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { NotFound } from "@/lib/errors";
import { findVisibleGroup, groupDeletionImpact, listGroupMembers } from "@/lib/groups";

export const metadata: Metadata = { title: "Group" };

export default async function GroupPage({ params }: { params: Promise<{ path: string }> }) {
  const { path } = await params;
  const user = await requireUser(`/groups/${path}`);
  const found = await findVisibleGroup(db(), user, path).catch((e: unknown) =>
    e instanceof NotFound ? null : Promise.reject(e),
  );
  if (!found) notFound();
  const { group, facts } = found;
  const [members, projects, impact] = await Promise.all([
    listGroupMembers(db(), group.id),
    db().project.findMany({ where: { groupId: group.id }, orderBy: { path: "asc" } }),
    can.manageGroup(user, facts) ? groupDeletionImpact(db(), group.id) : null,
  ]);
  const manageMembers = can.manageGroupMembers(user, facts);
  const roles = assignableRoles(user, facts);
  return (
    <>
      <PageHeader
        title={group.name}
        description={group.description || `Group ${group.path}`}
        actions={
          can.createProjectInGroup(user, facts) ? (
            <LinkButton href={`/projects/new?namespace=${group.path}`}>New project</LinkButton>
          ) : undefined
        }
      />
      <section aria-labelledby="projects-heading" className="mb-10">
        <h2 id="projects-heading" className="mb-3 text-lg font-semibold">
          Projects
        </h2>
        {projects.length === 0 ? (
          <EmptyState title="No projects in this group yet">
            <p>
              {can.createProjectInGroup(user, facts)
                ? "Create a project to register an agent for a cluster."
                : "A maintainer or owner of the group can create one."}
            </p>
          </EmptyState>
        ) : (
          <ul className="divide-y divide-zinc-200 rounded-lg border border-zinc-200 dark:divide-zinc-800 dark:border-zinc-800">
            {projects.map((p) => (
              <li key={p.id}>
                <Link
                  className="block px-4 py-3 font-medium hover:bg-zinc-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 dark:hover:bg-zinc-900"
                  href={`/projects/${p.fullPath}`}
                >
                  {p.fullPath}
                </Link>
              </li>
            ))}
          </ul>
        )}
      </section>
      <section aria-labelledby="members-heading">
        <h2 id="members-heading" className="mb-3 text-lg font-semibold">
          Members
        </h2>
        <div className="relative overflow-x-auto">
          <table className="mb-6 w-full max-w-2xl text-left text-sm">
            <thead className="border-b border-zinc-200 text-zinc-500 dark:border-zinc-800">
              <tr>
                <th className="py-2 font-medium">Name</th>
                <th className="font-medium">Username</th>
                <th className="font-medium">Role</th>
                <th className="font-medium">
                  <span className="sr-only">Actions</span>
                </th>
              </tr>
            </thead>
            <tbody>
              {members.map((m) => (
                <tr key={m.username} className="border-b border-zinc-100 dark:border-zinc-900">
                  <td className="py-2 pr-3">{m.name}</td>
                  <td className="pr-3">@{m.username}</td>
                  <td className="pr-3 capitalize">
                    {manageMembers ? (
                      <MemberRoleSelect groupPath={group.path} username={m.username} role={m.role} roles={roles} />
                    ) : (
                      m.role
                    )}
                  </td>
                  <td className="py-2 text-right">
                    {m.username === user.username || manageMembers ? (
                      <RemoveMemberButton
                        groupPath={group.path}
                        username={m.username}
                        self={m.username === user.username}
                      />
                    ) : null}
                  </td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
        {manageMembers ? <AddMemberForm groupPath={group.path} roles={roles} /> : null}
      </section>
      {impact ? (
        <section
          aria-labelledby="settings-heading"
          className="mt-10 space-y-8 border-t border-zinc-200 pt-6 dark:border-zinc-800"
        >
          <h2 id="settings-heading" className="text-lg font-semibold">
            Group settings
          </h2>
          <EditGroupForm group={{ path: group.path, name: group.name, description: group.description }} />
          <div>
            <h3 className="mb-2 font-semibold">Delete this group</h3>
            <DeleteWithConfirmation
              url={`/api/groups/${group.path}`}
              what="group"
              name={group.path}
              afterHref="/groups"
            >
              <p>
                Deleting group {group.path} deletes its {plural(impact.projects, "project")} with their{" "}
                {plural(impact.agents, "agent")} (their tokens stop working and the agents are disconnected), and ends
                the membership of {plural(impact.members, "member")}.
              </p>
            </DeleteWithConfirmation>
          </div>
        </section>
      ) : null}
    </>
  );
}
