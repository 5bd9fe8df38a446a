import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { UserSecurityActions } from "@/components/admin/user-security-actions";
import { PageHeader } from "@/components/shell/app-shell";
import { requireUser } from "@/lib/auth/session";
import { db } from "@/lib/db/client";

export const metadata: Metadata = { title: "Admin" };

export default async function AdminPage() {
  const user = await requireUser("/admin");
  if (!user.isAdmin) notFound();
  const [users, groups, projects] = await Promise.all([
    db().user.findMany({ orderBy: { createdAt: "asc" }, select: { id: true, username: true, name: true, email: true, isAdmin: true, createdAt: true } }),
    db().group.count(),
    db().project.count(),
  ]);
  return (
    <>
      <PageHeader
        title="Admin"
        description="This Tether installation at a glance."
        actions={<Link href="/admin/audit" className="text-sm font-medium text-indigo-600 hover:underline dark:text-indigo-400">Audit log</Link>}
      />
      <dl className="mb-8 grid max-w-xl grid-cols-3 gap-4">
        {[["Users", users.length], ["Groups", groups], ["Projects", projects]].map(([k, v]) => (
          <div key={k} className="rounded-lg border border-zinc-200 p-4 dark:border-zinc-800">
            <dt className="text-xs uppercase text-zinc-500">{k}</dt>
            <dd className="mt-1 text-2xl font-semibold">{v}</dd>
          </div>
        ))}
      </dl>
      <h2 className="mb-2 text-lg font-semibold">Users</h2>
      <table className="w-full text-left text-sm">
        <thead className="border-b border-zinc-200 text-zinc-500 dark:border-zinc-800">
          <tr><th className="py-2 font-medium">Name</th><th className="font-medium">Username</th><th className="font-medium">E-mail</th><th className="font-medium">Role</th><th className="font-medium">Joined</th><th className="font-medium">Access</th></tr>
        </thead>
        <tbody>
          {users.map((u) => (
            <tr key={u.id} className="border-b border-zinc-100 dark:border-zinc-900">
              <td className="py-2">{u.name}</td><td>@{u.username}</td><td>{u.email}</td><td>{u.isAdmin ? "Administrator" : "Regular"}</td>
              <td><time dateTime={u.createdAt.toISOString()}>{u.createdAt.toISOString().slice(0, 10)}</time></td>
              <td className="py-2"><UserSecurityActions userId={u.id} username={u.username} /></td>
            </tr>
          ))}
        </tbody>
      </table>
    </>
  );
}
