"use client";
// A submit button is disabled until the page is hydrated: before that, a press (or Enter in a field) would
// make the browser submit the form itself, as a GET to the page's own URL with every field in the address
// (a password into the history and the server's logs), instead of the form's own handler running.
import type { ComponentPropsWithRef } from "react";
import { useHydrated } from "./use-hydrated";

const styles = {
  primary: "bg-indigo-600 text-white hover:bg-indigo-500 disabled:bg-indigo-400",
  danger: "bg-red-600 text-white hover:bg-red-500 disabled:bg-red-400",
  secondary:
    "border border-zinc-300 bg-white text-zinc-800 hover:bg-zinc-50 dark:border-zinc-700 dark:bg-zinc-900 dark:text-zinc-100 dark:hover:bg-zinc-800",
} as const;

export function Button({
  variant = "primary",
  className = "",
  disabled,
  ...props
}: ComponentPropsWithRef<"button"> & { variant?: keyof typeof styles }) {
  const hydrated = useHydrated();
  return (
    <button
      className={`inline-flex items-center justify-center gap-2 rounded-md px-3.5 py-2 text-sm font-medium focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 focus-visible:ring-offset-2 dark:focus-visible:ring-offset-zinc-950 disabled:cursor-not-allowed ${styles[variant]} ${className}`}
      disabled={disabled || (props.type === "submit" && !hydrated)}
      {...props}
    />
  );
}
