import Link from "next/link";
import type { ReactNode } from "react";
import { ThemeToggle } from "@/components/shell/theme-toggle";

export default function AuthLayout({ children }: { children: ReactNode }) {
  return (
    <div className="flex min-h-screen flex-col">
      <header className="flex h-14 items-center justify-between px-4">
        <Link href="/" className="flex items-center gap-2 font-semibold">
          <span aria-hidden className="inline-block h-5 w-5 rounded bg-indigo-600" />
          Tether
        </Link>
        <ThemeToggle />
      </header>
      <main className="flex flex-1 items-start justify-center px-4 pt-16">
        <div className="w-full max-w-sm rounded-lg border border-zinc-200 p-6 shadow-sm dark:border-zinc-800">
          {children}
        </div>
      </main>
    </div>
  );
}
