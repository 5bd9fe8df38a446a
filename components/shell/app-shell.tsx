import Link from "next/link";
import type { ReactNode } from "react";
import { IntentLink } from "@/components/ui/intent-link";
import type { CurrentUser } from "@/lib/auth/session";
import { MobileNav, SideNav } from "./side-nav";
import { ThemeToggle } from "./theme-toggle";
import { UserMenu } from "./user-menu";

export function AppShell({ user, children }: { user: CurrentUser | null; children: ReactNode }) {
  return (
    <div className="flex min-h-screen flex-col">
      <a
        href="#main"
        className="sr-only focus:not-sr-only focus:absolute focus:left-2 focus:top-2 focus:z-50 focus:rounded focus:bg-white focus:px-3 focus:py-2 dark:focus:bg-zinc-900"
      >
        Skip to content
      </a>
      <header className="relative flex h-14 items-center justify-between gap-2 border-b border-zinc-200 px-4 dark:border-zinc-800">
        <div className="flex min-w-0 items-center gap-1">
          <MobileNav isAdmin={user?.isAdmin ?? false} />
          <IntentLink
            href="/"
            className="flex items-center gap-2 font-semibold focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500"
          >
            <span aria-hidden className="inline-block h-5 w-5 rounded bg-indigo-600" />
            Tether
          </IntentLink>
        </div>
        <div className="flex items-center gap-2">
          <ThemeToggle />
          {user ? (
            <UserMenu name={user.name} username={user.username} email={user.email} />
          ) : (
            <Link
              href="/sign-in"
              className="rounded-md px-3 py-1.5 text-sm font-medium text-indigo-600 hover:bg-zinc-100 dark:text-indigo-400 dark:hover:bg-zinc-800"
            >
              Sign in
            </Link>
          )}
        </div>
      </header>
      <div className="flex flex-1">
        <SideNav isAdmin={user?.isAdmin ?? false} />
        {/* min-w-0: a flex child may otherwise grow to its widest content and scroll the page sideways. */}
        <main id="main" className="min-w-0 flex-1 px-4 py-6 md:px-8">
          {children}
        </main>
      </div>
    </div>
  );
}

export function PageHeader({
  title,
  description,
  actions,
}: {
  title: string;
  description?: string;
  actions?: ReactNode;
}) {
  return (
    <div className="mb-6 flex flex-wrap items-start justify-between gap-4">
      <div className="min-w-0">
        <h1 className="break-words text-2xl font-semibold tracking-tight">{title}</h1>
        {description ? <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">{description}</p> : null}
      </div>
      {actions}
    </div>
  );
}
