"use client";
// A text field the server rendered can be typed into before React hydrates it (the first second or more of a
// page load on a busy machine). React keeps that text on screen but never calls onChange for it, so the page
// would show a search that filters nothing. This hands the text over once, when the field mounts.
import { useEffect, type RefObject } from "react";

/** Calls `onChange` with the field's text when it mounts, if that is not `value` (typed before hydration). */
export function useTypedBeforeHydration(
  ref: RefObject<HTMLInputElement | null>,
  value: string,
  onChange: (typed: string) => void,
): void {
  useEffect(() => {
    const typed = ref.current?.value;
    if (typed !== undefined && typed !== value) onChange(typed);
    // Once, on mount: later text reaches onChange through the field's own events.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, []);
}
