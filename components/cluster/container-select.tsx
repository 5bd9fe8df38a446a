"use client";
// A pod's container picked by name, as the pod's log and its shell offer it: init and ephemeral
// containers are marked so.
import { inputClass } from "./controls";
import type { PodContainer } from "./log-lines";

const KIND_LABEL = { init: " (init)", ephemeral: " (ephemeral)", container: "" } as const;

export function ContainerSelect({
  label,
  containers,
  value,
  onChange,
  disabled = false,
}: {
  /** The select's accessible name; its visible label is "Container". */
  label: string;
  containers: readonly PodContainer[];
  value: string;
  onChange: (name: string) => void;
  disabled?: boolean;
}) {
  return (
    <label className="text-sm">
      <span className="block text-zinc-600 dark:text-zinc-400">Container</span>
      <select
        aria-label={label}
        value={value}
        disabled={disabled}
        onChange={(e) => onChange(e.target.value)}
        className={inputClass}
      >
        {containers.map((c) => (
          <option key={`${c.kind} ${c.name}`} value={c.name}>
            {c.name}
            {KIND_LABEL[c.kind]}
          </option>
        ))}
      </select>
    </label>
  );
}
