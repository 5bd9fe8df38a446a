"use client";
import { usePathname } from "next/navigation";
import { IntentLink } from "@/components/ui/intent-link";

const items = [
  { href: "/projects", label: "Projects" },
  { href: "/groups", label: "Groups" },
  { href: "/kubernetes-versions", label: "Kubernetes versions" },
  { href: "/admin", label: "Admin", adminOnly: true },
];

export function SideNav({ isAdmin }: { isAdmin: boolean }) {
  const pathname = usePathname();
  return (
    <nav aria-label="Main" className="w-56 shrink-0 border-r border-zinc-200 px-3 py-4 dark:border-zinc-800">
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
                  className={`block rounded-md px-3 py-2 text-sm focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 ${active ? "bg-zinc-100 font-medium text-zinc-900 dark:bg-zinc-800 dark:text-white" : "text-zinc-600 hover:bg-zinc-50 dark:text-zinc-400 dark:hover:bg-zinc-900"}`}
                >
                  {i.label}
                </IntentLink>
              </li>
            );
          })}
      </ul>
    </nav>
  );
}
