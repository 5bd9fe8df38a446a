"use client";
// The theme: light, dark, or the system's (the default, following the operating system as it changes).
// Three radio buttons, so the keyboard moves between them with the arrow keys and the choice is announced.
import { useTheme } from "next-themes";
import { useSyncExternalStore } from "react";

const subscribe = () => () => {};

const CHOICES = [
  { value: "light", label: "Light", icon: "☀" },
  { value: "dark", label: "Dark", icon: "☾" },
  { value: "system", label: "System", icon: "◐" },
] as const;

export function ThemeToggle() {
  const { theme, setTheme } = useTheme();
  // The choice is only known in the browser; on the server nothing is checked.
  const mounted = useSyncExternalStore(
    subscribe,
    () => true,
    () => false,
  );
  const current = mounted ? (theme ?? "system") : null;
  return (
    <fieldset className="flex items-center rounded-md border border-zinc-200 p-0.5 dark:border-zinc-700">
      <legend className="sr-only">Theme</legend>
      {CHOICES.map((c) => (
        <label
          key={c.value}
          title={c.label}
          className="relative cursor-pointer rounded px-1.5 py-0.5 text-sm text-zinc-600 hover:bg-zinc-100 has-[:checked]:bg-zinc-200 has-[:focus-visible]:ring-2 has-[:focus-visible]:ring-indigo-500 dark:text-zinc-300 dark:hover:bg-zinc-800 dark:has-[:checked]:bg-zinc-700"
        >
          <input
            type="radio"
            name="theme"
            value={c.value}
            checked={current === c.value}
            onChange={() => setTheme(c.value)}
            aria-label={`${c.label} theme`}
            // Over the whole label, invisible: the label shows the icon, the input takes the click and the focus.
            className="absolute inset-0 m-0 cursor-pointer appearance-none opacity-0"
          />
          <span aria-hidden>{c.icon}</span>
        </label>
      ))}
    </fieldset>
  );
}
