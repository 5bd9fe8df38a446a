"use client";
// Saves text as a file in the browser (a kubeconfig, a token file), without a round trip to the server.
import { Button } from "./button";

/** Saves `text` as a file named `filename`, as the browser saves a download. */
export function saveTextFile(text: string, filename: string, type = "text/plain"): void {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement("a");
  a.href = url;
  a.download = filename;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1_000);
}

export function DownloadButton({
  text,
  filename,
  label,
  type = "application/yaml",
}: {
  text: string;
  filename: string;
  label: string;
  type?: string;
}) {
  return (
    <Button type="button" variant="secondary" onClick={() => saveTextFile(text, filename, type)}>
      {label}
    </Button>
  );
}
