"use client";
// Copies text to the clipboard and says so (to screen readers too). Falls back to a hidden textarea
// and execCommand where the Clipboard API is unavailable (plain-HTTP installs).
import { useEffect, useState } from "react";
import { Button } from "./button";

async function copyText(text: string): Promise<void> {
  if (navigator.clipboard && window.isSecureContext) {
    await navigator.clipboard.writeText(text);
    return;
  }
  const area = document.createElement("textarea");
  area.value = text;
  area.setAttribute("readonly", "");
  area.style.position = "fixed";
  area.style.opacity = "0";
  document.body.appendChild(area);
  area.select();
  const ok = document.execCommand("copy");
  area.remove();
  if (!ok) throw new Error("copy refused");
}

export function CopyButton({ text, label }: { text: string; label: string }) {
  const [state, setState] = useState<"idle" | "copied" | "failed">("idle");
  useEffect(() => {
    if (state === "idle") return;
    const t = setTimeout(() => setState("idle"), 2500);
    return () => clearTimeout(t);
  }, [state]);
  return (
    <span className="inline-flex items-center gap-2">
      <Button
        type="button"
        variant="secondary"
        onClick={() =>
          copyText(text).then(
            () => setState("copied"),
            () => setState("failed"),
          )
        }
      >
        {label}
      </Button>
      <span role="status" aria-live="polite" className="text-xs text-zinc-500">
        {state === "copied"
          ? "Copied"
          : state === "failed"
            ? "Could not copy: select the text and copy it yourself"
            : ""}
      </span>
    </span>
  );
}
