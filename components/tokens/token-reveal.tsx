"use client";
// A new token's value, shown this once: a heading that takes the focus, the warning that it is never shown
// again, the value with a copy button (and the caller's other buttons), what the caller says about it, and
// the button that ends the reveal.
import { useEffect, useRef, type ReactNode } from "react";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";

export function TokenReveal({
  idPrefix,
  headingLevel = 3,
  title,
  valueLabel,
  token,
  actions,
  className = "space-y-4",
  onDone,
  children,
}: {
  /** `${idPrefix}-reveal-heading` and `${idPrefix}-value` name the heading and the field. */
  idPrefix: string;
  headingLevel?: 3 | 4;
  title: ReactNode;
  /** The field's label, e.g. "Personal access token". */
  valueLabel: string;
  token: string;
  /** More buttons beside "Copy token" (a download, say). */
  actions?: ReactNode;
  className?: string;
  onDone: () => void;
  /** What the caller says about the token, between its value and the done button. */
  children?: ReactNode;
}) {
  const heading = useRef<HTMLHeadingElement>(null);
  useEffect(() => heading.current?.focus(), []);
  const Heading = headingLevel === 4 ? "h4" : "h3";
  return (
    <section aria-labelledby={`${idPrefix}-reveal-heading`} className={className}>
      <div>
        <Heading
          id={`${idPrefix}-reveal-heading`}
          ref={heading}
          tabIndex={-1}
          className="text-base font-semibold focus:outline-none"
        >
          {title}
        </Heading>
        <p
          role="note"
          className="mt-2 rounded-md border border-amber-300 bg-amber-50 px-3 py-2 text-sm text-amber-900 dark:border-amber-800 dark:bg-amber-950 dark:text-amber-200"
        >
          Copy the token now: it is shown only this once. Tether keeps only its hash; if you lose it, create another
          one.
        </p>
      </div>
      <div className="space-y-1">
        <label htmlFor={`${idPrefix}-value`} className="block text-sm font-medium text-zinc-700 dark:text-zinc-300">
          {valueLabel}
        </label>
        <div className="flex flex-wrap items-center gap-3">
          <input
            id={`${idPrefix}-value`}
            readOnly
            value={token}
            onFocus={(e) => e.currentTarget.select()}
            className="block min-w-0 flex-1 rounded-md border border-zinc-300 bg-zinc-50 px-3 py-2 font-mono text-sm dark:border-zinc-700 dark:bg-zinc-900"
          />
          <CopyButton text={token} label="Copy token" />
          {actions}
        </div>
      </div>
      {children}
      <Button type="button" onClick={onDone}>
        I have copied the token
      </Button>
    </section>
  );
}
