"use client";
// The main navigation: a sidebar from the md breakpoint up; below it, a menu button in the header that
// opens the same links in a panel (Escape or a click elsewhere closes it, and focus returns to the button).
import { usePathname } from "next/navigation";
import { useRef, useState } from "react";
import { IntentLink } from "@/components/ui/intent-link";
import { useDismiss } from "@/components/ui/use-dismiss";

const items = [
  { href: "/projects", label: "Projects" },
  { href: "/groups", label: "Groups" },
  { href: "/kubernetes-versions", label: "Kubernetes versions" },
  { href: "/admin", label: "Admin", adminOnly: true },
];

const MOBILE_NAV_ID = "main-nav-menu";

function NavLinks({ isAdmin, onNavigate }: { isAdmin: boolean; onNavigate?: () => void }) {
  const pathname = usePathname();
  return (
    <ul className="space-y-1">
      {items
        .filter((i) => !i.adminOnly || isAdmin)
        .map((i) => {
          const active = pathname === i.href || pathname.startsWith(i.href + "/");
          return (
            <li key={i.href}>
              <IntentLink
                href={i.href}
                aria-current={active ? "page" : undefined}
                onClick={onNavigate}
                className={`block rounded-md px-3 py-2 text-sm focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 ${active ? "bg-zinc-100 font-medium text-zinc-900 dark:bg-zinc-800 dark:text-white" : "text-zinc-600 hover:bg-zinc-50 dark:text-zinc-400 dark:hover:bg-zinc-900"}`}
              >
                {i.label}
              </IntentLink>
            </li>
          );
        })}
    </ul>
  );
}

export function SideNav({ isAdmin }: { isAdmin: boolean }) {
  return (
    <nav
      aria-label="Main"
      className="hidden w-56 shrink-0 border-r border-zinc-200 px-3 py-4 md:block dark:border-zinc-800"
    >
      <NavLinks isAdmin={isAdmin} />
    </nav>
  );
}

/** Small screens only (md:hidden): the button and the panel it opens, below the header. */
export function MobileNav({ isAdmin }: { isAdmin: boolean }) {
  const [open, setOpen] = useState(false);
  const button = useRef<HTMLButtonElement>(null);
  const panel = useRef<HTMLElement>(null);
  useDismiss(open, [button, panel], (how) => {
    setOpen(false);
    if (how === "escape") button.current?.focus();
  });
  return (
    <div className="md:hidden">
      <button
        ref={button}
        type="button"
        aria-expanded={open}
        aria-controls={MOBILE_NAV_ID}
        onClick={() => setOpen((o) => !o)}
        className="flex h-9 w-9 items-center justify-center rounded-md hover:bg-zinc-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 dark:hover:bg-zinc-800"
      >
        <span className="sr-only">Menu</span>
        <svg
          aria-hidden
          viewBox="0 0 20 20"
          className="h-5 w-5"
          fill="none"
          stroke="currentColor"
          strokeWidth={1.75}
          strokeLinecap="round"
        >
          {open ? <path d="M5 5l10 10M15 5L5 15" /> : <path d="M3 5h14M3 10h14M3 15h14" />}
        </svg>
      </button>
      <nav
        ref={panel}
        id={MOBILE_NAV_ID}
        aria-label="Main"
        hidden={!open}
        className="absolute inset-x-0 top-14 z-30 border-b border-zinc-200 bg-white px-3 py-3 shadow-lg dark:border-zinc-800 dark:bg-zinc-950"
      >
        <NavLinks
          isAdmin={isAdmin}
          onNavigate={() => {
            setOpen(false);
            button.current?.focus();
          }}
        />
      </nav>
    </div>
  );
}
