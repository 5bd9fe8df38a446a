"use client";
// The controls a log view shares, a pod's own (pod-logs.tsx) and a workload's pods' (workload-logs.tsx): a
// labelled choice, a search field, a checkbox, and saving what the view holds as a file.
import { saveTextFile } from "@/components/ui/download-button";
import { inputClass } from "./controls";

export function LogChoice({
  label,
  value,
  onChange,
  choices,
}: {
  label: string;
  value: string;
  onChange: (v: string) => void;
  choices: readonly (readonly [value: string, label: string])[];
}) {
  return (
    <label className="text-sm">
      <span className="block text-zinc-600 dark:text-zinc-400">{label}</span>
      <select aria-label={label} value={value} onChange={(e) => onChange(e.target.value)} className={inputClass}>
        {choices.map(([v, l]) => (
          <option key={v} value={v}>
            {l}
          </option>
        ))}
      </select>
    </label>
  );
}

export function LogSearch({ label, value, onChange }: { label: string; value: string; onChange: (v: string) => void }) {
  return (
    <label className="text-sm">
      <span className="block text-zinc-600 dark:text-zinc-400">{label}</span>
      <input
        type="search"
        aria-label={label}
        value={value}
        onChange={(e) => onChange(e.target.value)}
        className={inputClass}
      />
    </label>
  );
}

export function LogCheck({
  label,
  checked,
  onChange,
  disabled = false,
}: {
  label: string;
  checked: boolean;
  onChange: (v: boolean) => void;
  disabled?: boolean;
}) {
  return (
    <label className={`flex items-center gap-1.5 text-sm ${disabled ? "opacity-50" : ""}`}>
      <input type="checkbox" checked={checked} disabled={disabled} onChange={(e) => onChange(e.target.checked)} />
      {label}
    </label>
  );
}

/** Saves `lines` as a text file named `fileName`, as the browser saves a download. */
export function downloadLines(fileName: string, lines: readonly string[]): void {
  saveTextFile(lines.join("\n") + "\n", fileName);
}

export function LogDownloadButton({ onClick, disabled }: { onClick: () => void; disabled: boolean }) {
  return (
    <button
      type="button"
      onClick={onClick}
      disabled={disabled}
      className="text-sm underline disabled:opacity-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500"
    >
      Download
    </button>
  );
}
