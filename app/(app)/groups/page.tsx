import type { Metadata } from "next";
import { PageHeader } from "@/components/shell/app-shell";
import { LinkButton } from "@/components/ui/link-button";
import { EmptyState } from "@/components/ui/states";
import Link from "next/link";
import { requireUser } from "@/lib/auth/session";
import { db } from "@/lib/db/client";

export const metadata: Metadata = { title: "Groups" };

export default async function GroupsPage() {
  const user = await requireUser("/groups");
  const memberships = await db().groupMember.findMany({
    where: { userId: user.id },
    include: { group: { include: { _count: { select: { projects: true, members: true } } } } },
    orderBy: { group: { path: "asc" } },
  });
  return (
    <>
      <PageHeader
        title="Groups"
        description="Groups share projects and their clusters with a team."
        actions={<LinkButton href="/groups/new">New group</LinkButton>}
      />
      {memberships.length === 0 ? (
        <EmptyState
          title="You are not in any group yet"
          action={<LinkButton href="/groups/new">Create a group</LinkButton>}
        >
          <p>
            Groups gather the people who work on the same clusters. Members get the role you give them (owner,
            maintainer, developer or reporter), and an agent can be shared with a whole group at once.
          </p>
        </EmptyState>
      ) : (
        <div className="relative overflow-x-auto">
          <table className="w-full text-left text-sm">
            <thead className="border-b border-zinc-200 text-zinc-500 dark:border-zinc-800">
              <tr>
                <th className="py-2 font-medium">Group</th>
                <th className="font-medium">Your role</th>
                <th className="font-medium">Projects</th>
                <th className="font-medium">Members</th>
              </tr>
            </thead>
            <tbody>
              {memberships.map((m) => (
                <tr key={m.groupId} className="border-b border-zinc-100 dark:border-zinc-900">
                  <td className="py-2">
                    <Link
                      href={`/groups/${m.group.path}`}
                      className="font-medium text-indigo-600 hover:underline dark:text-indigo-400"
                    >
                      {m.group.name}
                    </Link>
                    <div className="text-zinc-500">{m.group.path}</div>
                  </td>
                  <td className="capitalize">{m.role}</td>
                  <td>{m.group._count.projects}</td>
                  <td>{m.group._count.members}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </>
  );
}
