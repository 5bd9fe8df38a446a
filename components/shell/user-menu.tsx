"use client";
import Link from "next/link";
import { signOut } from "next-auth/react";
import { useRef, useState } from "react";
import { useDismiss } from "@/components/ui/use-dismiss";

export function UserMenu({ name, username, email }: { name: string; username: string; email: string }) {
  const [open, setOpen] = useState(false);
  const ref = useRef<HTMLDivElement>(null);
  useDismiss(open, [ref], () => setOpen(false));
  return (
    <div className="relative" ref={ref}>
      <button
        type="button"
        aria-haspopup="menu"
        aria-expanded={open}
        onClick={() => setOpen((o) => !o)}
        className="flex items-center gap-2 rounded-md px-2 py-1.5 text-sm hover:bg-zinc-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 dark:hover:bg-zinc-800"
      >
        <span
          aria-hidden
          className="flex h-7 w-7 items-center justify-center rounded-full bg-indigo-600 text-xs font-semibold text-white"
        >
          {name.slice(0, 1).toUpperCase()}
        </span>
        <span data-testid="current-user" title={name} className="max-w-[8rem] truncate sm:max-w-[16rem]">
          {name}
        </span>
      </button>
      {open ? (
        <div
          role="menu"
          className="absolute right-0 z-20 mt-2 w-64 rounded-md border border-zinc-200 bg-white p-1 shadow-lg dark:border-zinc-800 dark:bg-zinc-900"
        >
          <div className="px-3 py-2 text-xs text-zinc-500">
            <div className="font-medium text-zinc-800 dark:text-zinc-200">@{username}</div>
            <div className="truncate">{email}</div>
          </div>
          <Link
            href="/settings/tokens"
            role="menuitem"
            autoFocus
            onClick={() => setOpen(false)}
            className="block w-full rounded px-3 py-2 text-left text-sm hover:bg-zinc-100 focus:bg-zinc-100 focus:outline-none dark:hover:bg-zinc-800 dark:focus:bg-zinc-800"
          >
            Access tokens
          </Link>
          <Link
            href="/settings/password"
            role="menuitem"
            onClick={() => setOpen(false)}
            className="block w-full rounded px-3 py-2 text-left text-sm hover:bg-zinc-100 focus:bg-zinc-100 focus:outline-none dark:hover:bg-zinc-800 dark:focus:bg-zinc-800"
          >
            Password and sessions
          </Link>
          <button
            role="menuitem"
            onClick={() => signOut({ callbackUrl: "/sign-in" })}
            className="w-full rounded px-3 py-2 text-left text-sm hover:bg-zinc-100 focus:bg-zinc-100 focus:outline-none dark:hover:bg-zinc-800 dark:focus:bg-zinc-800"
          >
            Sign out
          </button>
        </div>
      ) : null}
    </div>
  );
}
