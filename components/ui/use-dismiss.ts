"use client";
// Closing a popup the way people expect: Escape, or a pointer press outside the elements that make it up.
import { useEffect, useRef, type RefObject } from "react";

export function useDismiss(
  open: boolean,
  inside: RefObject<HTMLElement | null>[],
  close: (how: "escape" | "outside") => void,
): void {
  // The latest callback and refs without re-subscribing on every render.
  const latest = useRef({ inside, close });
  useEffect(() => {
    latest.current = { inside, close };
  });
  useEffect(() => {
    if (!open) return;
    const onKey = (e: KeyboardEvent) => {
      if (e.key === "Escape") latest.current.close("escape");
    };
    const onPointer = (e: PointerEvent) => {
      const target = e.target as Node;
      if (!latest.current.inside.some((r) => r.current?.contains(target))) latest.current.close("outside");
    };
    document.addEventListener("keydown", onKey);
    document.addEventListener("pointerdown", onPointer);
    return () => {
      document.removeEventListener("keydown", onKey);
      document.removeEventListener("pointerdown", onPointer);
    };
  }, [open]);
}
