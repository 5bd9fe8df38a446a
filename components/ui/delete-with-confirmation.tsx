"use client";
// Deleting something that takes other things with it: a button, then a dialog that says what goes and
// asks for the thing's name or path typed, then DELETE with { confirm } and a move to `afterHref`.
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useId, useState, type ReactNode } from "react";
import { fetchJson } from "@/components/providers";
import { Button } from "./button";
import { ConfirmDialog } from "./confirm-dialog";

export function DeleteWithConfirmation({
  url,
  what,
  name,
  afterHref,
  children,
}: {
  /** The REST resource to DELETE. */
  url: string;
  /** "agent", "project", "group": in the button and the title. */
  what: string;
  /** What the user types to confirm (the name or path). */
  name: string;
  afterHref: string;
  /** What deleting takes with it. */
  children: ReactNode;
}) {
  const router = useRouter();
  const inputId = useId();
  const [open, setOpen] = useState(false);
  const [typed, setTyped] = useState("");
  const del = useMutation({
    mutationFn: () => fetchJson(url, { method: "DELETE", body: JSON.stringify({ confirm: typed }) }),
    onSuccess: () => {
      setOpen(false);
      router.push(afterHref);
      router.refresh();
    },
  });
  return (
    <>
      <Button
        type="button"
        variant="danger"
        onClick={() => {
          del.reset();
          setTyped("");
          setOpen(true);
        }}
      >
        Delete {what}
      </Button>
      <ConfirmDialog
        open={open}
        title={`Delete ${what} ${name}?`}
        confirmLabel={`Delete ${what}`}
        pending={del.isPending}
        confirmDisabled={typed.trim().toLowerCase() !== name.toLowerCase()}
        error={del.error?.message}
        onConfirm={() => del.mutate()}
        onCancel={() => setOpen(false)}
      >
        {children}
        <p>This cannot be undone. The audit log keeps every event.</p>
        <label htmlFor={inputId} className="block pt-2 font-medium text-zinc-800 dark:text-zinc-200">
          Type <span className="font-mono break-all">{name}</span> to confirm
        </label>
        <input
          id={inputId}
          value={typed}
          onChange={(e) => setTyped(e.target.value)}
          autoComplete="off"
          spellCheck={false}
          className="block w-full rounded-md border border-zinc-300 bg-white px-3 py-2 font-mono text-sm text-zinc-900 focus:outline-none focus:ring-2 focus:ring-indigo-500 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100"
        />
      </ConfirmDialog>
    </>
  );
}
