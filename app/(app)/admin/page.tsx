import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { SignUpSettings } from "@/components/admin/sign-up-settings";
import { UserSecurityActions } from "@/components/admin/user-security-actions";
import { listInvites, signUpPolicy } from "@/lib/auth/sign-up-policy";
import { PageHeader } from "@/components/shell/app-shell";
import { requireUser } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { publicUrls, type PublicUrls } from "@/lib/public-urls";

export const metadata: Metadata = { title: "Admin" };

const ADDRESS_ROLES: [keyof PublicUrls, string][] = [
  ["web", "Web (people, the REST API, helm repo add)"],
  ["kasAgent", "Agent server (agents in clusters dial it)"],
  ["k8sProxy", "k8s-proxy (kubectl and CI jobs)"],
];

function PublicAddresses() {
  const urls = publicUrls();
  return (
    <section aria-labelledby="public-addresses-heading" className="mb-8">
      <h2 id="public-addresses-heading" className="mb-2 text-lg font-semibold">
        Public addresses
      </h2>
      <p className="mb-3 max-w-3xl text-sm text-zinc-600 dark:text-zinc-400">
        Every command, kubeconfig and snippet Tether prints uses these. Set them in the environment of{" "}
        <code>npm start</code> and restart Tether.
      </p>
      <div className="relative overflow-x-auto">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Where people, clusters, kubectl and CI jobs reach this installation</caption>
          <thead className="border-b border-zinc-200 text-zinc-500 dark:border-zinc-800">
            <tr>
              <th scope="col" className="py-2 font-medium">
                For
              </th>
              <th scope="col" className="font-medium">
                Setting
              </th>
              <th scope="col" className="font-medium">
                Address
              </th>
              <th scope="col" className="font-medium">
                State
              </th>
            </tr>
          </thead>
          <tbody>
            {ADDRESS_ROLES.map(([key, role]) => {
              const u = urls[key];
              return (
                <tr key={key} className="border-b border-zinc-100 dark:border-zinc-900">
                  <th scope="row" className="py-2 font-normal">
                    {role}
                  </th>
                  <td className="font-mono text-xs">{u.setting}</td>
                  <td className="font-mono text-xs">{u.url}</td>
                  <td>
                    {u.configured ? "Set" : `Not set: derived from ${u.derivedFrom}`}
                    {u.loopback ? (
                      <span className="ml-2 rounded bg-amber-100 px-1.5 py-0.5 text-xs text-amber-900 dark:bg-amber-950 dark:text-amber-200">
                        Loopback: reachable from this machine only
                      </span>
                    ) : null}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
      </div>
    </section>
  );
}

export default async function AdminPage() {
  const user = await requireUser("/admin");
  if (!user.isAdmin) notFound();
  const [users, groups, projects, policy, invites] = await Promise.all([
    // Project access tokens' bots are listed on their project's Settings tab, not here.
    db().user.findMany({
      where: { botProjectId: null },
      orderBy: { createdAt: "asc" },
      select: {
        id: true,
        username: true,
        name: true,
        email: true,
        isAdmin: true,
        createdAt: true,
        blockedAt: true,
        lastSignInAt: true,
        pendingApproval: true,
      },
    }),
    db().group.count(),
    db().project.count(),
    signUpPolicy(db()),
    listInvites(db(), user),
  ]);
  return (
    <>
      <PageHeader
        title="Admin"
        description="This Tether installation at a glance."
        actions={
          <nav aria-label="Admin pages" className="flex gap-4">
            <Link
              href="/admin/fleet"
              className="text-sm font-medium text-indigo-600 hover:underline dark:text-indigo-400"
            >
              Fleet
            </Link>
            <Link
              href="/admin/audit"
              className="text-sm font-medium text-indigo-600 hover:underline dark:text-indigo-400"
            >
              Audit log
            </Link>
          </nav>
        }
      />
      <dl className="mb-8 grid max-w-xl grid-cols-3 gap-4">
        {[
          ["Users", users.length],
          ["Groups", groups],
          ["Projects", projects],
        ].map(([k, v]) => (
          <div key={k} className="rounded-lg border border-zinc-200 p-4 dark:border-zinc-800">
            <dt className="text-xs uppercase text-zinc-500">{k}</dt>
            <dd className="mt-1 text-2xl font-semibold">{v}</dd>
          </div>
        ))}
      </dl>
      <PublicAddresses />
      <SignUpSettings mode={policy.mode} domains={policy.domains} invites={invites} />
      <h2 className="mb-2 text-lg font-semibold">Users</h2>
      <div className="relative overflow-x-auto">
        <table className="w-full text-left text-sm">
          <thead className="border-b border-zinc-200 text-zinc-500 dark:border-zinc-800">
            <tr>
              <th className="py-2 font-medium">Name</th>
              <th className="font-medium">Username</th>
              <th className="font-medium">E-mail</th>
              <th className="font-medium">Role</th>
              <th className="font-medium">Joined</th>
              <th className="font-medium">Last sign-in</th>
              <th className="font-medium">Access</th>
            </tr>
          </thead>
          <tbody>
            {users.map((u) => (
              <tr key={u.id} className="border-b border-zinc-100 dark:border-zinc-900">
                <td className="py-2">{u.name}</td>
                <td>@{u.username}</td>
                <td>{u.email}</td>
                <td>
                  {u.isAdmin ? "Administrator" : "Regular"}
                  {u.pendingApproval ? (
                    <span className="ml-2 rounded bg-amber-100 px-1.5 py-0.5 text-xs text-amber-900 dark:bg-amber-950 dark:text-amber-200">
                      Waiting for approval
                    </span>
                  ) : null}
                  {u.blockedAt ? (
                    <span className="ml-2 rounded bg-red-100 px-1.5 py-0.5 text-xs text-red-900 dark:bg-red-950 dark:text-red-200">
                      Blocked
                    </span>
                  ) : null}
                </td>
                <td>
                  <time dateTime={u.createdAt.toISOString()}>{u.createdAt.toISOString().slice(0, 10)}</time>
                </td>
                <td>
                  {u.lastSignInAt ? (
                    <time dateTime={u.lastSignInAt.toISOString()}>
                      {u.lastSignInAt.toISOString().slice(0, 16).replace("T", " ")} UTC
                    </time>
                  ) : (
                    "Never"
                  )}
                </td>
                <td className="py-2">
                  <UserSecurityActions
                    userId={u.id}
                    username={u.username}
                    isAdmin={u.isAdmin}
                    blocked={u.blockedAt !== null}
                    pendingApproval={u.pendingApproval}
                    isSelf={u.id === user.id}
                  />
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
