// What will not work with this installation's public addresses, shown where they are printed (the
// install commands, the kubeconfig, the CI lines); the server decides the warnings (lib/public-urls).
import type { AddressWarning } from "@/lib/public-urls";

export function AddressWarnings({ warnings, label }: { warnings: AddressWarning[]; label: string }) {
  if (warnings.length === 0) return null;
  return (
    <div aria-label={label} className="space-y-2">
      {warnings.map((w) => (
        <p
          key={w.setting}
          role="note"
          data-severity={w.severity}
          className={
            w.severity === "unreachable"
              ? "rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-200"
              : "rounded-md border border-zinc-200 bg-zinc-50 px-3 py-2 text-sm text-zinc-700 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-300"
          }
        >
          {w.text}
        </p>
      ))}
    </div>
  );
}
