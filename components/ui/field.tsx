import type { InputHTMLAttributes, ReactNode, SelectHTMLAttributes, TextareaHTMLAttributes } from "react";

const control = (error: string | undefined) =>
  `block w-full rounded-md border bg-white px-3 py-2 shadow-sm focus:outline-none focus:ring-2 focus:ring-indigo-500 dark:bg-zinc-900 ${error ? "border-red-500" : "border-zinc-300 dark:border-zinc-700"}`;

/** The control's id, and its error (or else its hint) for screen readers. */
function controlProps(id: string, error?: string, hint?: string) {
  return {
    id,
    "aria-invalid": error ? true : undefined,
    "aria-describedby": error ? `${id}-error` : hint ? `${id}-hint` : undefined,
  } as const;
}

/** The label above a control and its error (or else its hint) below, tied to it for screen readers. */
function FieldShell({
  id,
  label,
  error,
  hint,
  children,
}: {
  id: string;
  label: string;
  error?: string;
  hint?: string;
  children: ReactNode;
}) {
  return (
    <div className="space-y-1">
      <label htmlFor={id} className="block text-sm font-medium text-zinc-700 dark:text-zinc-300">
        {label}
      </label>
      {children}
      {error ? (
        <p id={`${id}-error`} className="text-sm text-red-600 dark:text-red-400">
          {error}
        </p>
      ) : hint ? (
        <p id={`${id}-hint`} className="text-xs text-zinc-500">
          {hint}
        </p>
      ) : null}
    </div>
  );
}

export function Field({
  label,
  id,
  error,
  hint,
  ...input
}: InputHTMLAttributes<HTMLInputElement> & { label: string; id: string; error?: string; hint?: string }) {
  return (
    <FieldShell id={id} label={label} error={error} hint={hint}>
      <input {...controlProps(id, error, hint)} className={`${control(error)} text-sm`} {...input} />
    </FieldShell>
  );
}

/** A multi-line field (PEM blocks, keys): monospace, four rows unless told otherwise. */
export function TextAreaField({
  label,
  id,
  error,
  hint,
  rows = 4,
  ...textarea
}: TextareaHTMLAttributes<HTMLTextAreaElement> & { label: string; id: string; error?: string; hint?: string }) {
  return (
    <FieldShell id={id} label={label} error={error} hint={hint}>
      <textarea
        {...controlProps(id, error, hint)}
        rows={rows}
        className={`${control(error)} font-mono text-xs`}
        {...textarea}
      />
    </FieldShell>
  );
}

/** A drop-down choice (its `<option>`s are the children), with a label, and an error or else a hint below. */
export function SelectField(
  props: SelectHTMLAttributes<HTMLSelectElement> & { label: string; id: string; error?: string; hint?: string },
) {
  const { label, id, error, hint, children, ...select } = props;
  return (
    <FieldShell id={id} label={label} error={error} hint={hint}>
      <select {...controlProps(id, error, hint)} className={`${control(error)} text-sm`} {...select}>
        {children}
      </select>
    </FieldShell>
  );
}
