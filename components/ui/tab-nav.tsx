import { IntentLink } from "./intent-link";

/**
 * Section links that look like tabs; the current one is marked for screen readers (aria-current). On a
 * narrow screen the row scrolls sideways inside its own box rather than widening the page.
 */
export function TabNav({
  label,
  items,
  current,
}: {
  label: string;
  items: { href: string; label: string; key: string }[];
  current: string;
}) {
  return (
    <nav aria-label={label} className="mb-6 overflow-x-auto">
      <ul className="flex w-max min-w-full gap-1 border-b border-zinc-200 dark:border-zinc-800">
        {items.map((i) => {
          const active = i.key === current;
          return (
            <li key={i.key} className="-mb-px">
              <IntentLink
                href={i.href}
                aria-current={active ? "page" : undefined}
                className={`inline-block whitespace-nowrap border-b-2 px-3 py-2 text-sm focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 ${active ? "border-indigo-600 font-medium text-zinc-900 dark:text-white" : "border-transparent text-zinc-600 hover:border-zinc-300 hover:text-zinc-900 dark:text-zinc-400 dark:hover:text-white"}`}
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
