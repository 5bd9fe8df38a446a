"use client";
// Saves text as a file in the browser (a kubeconfig, a token file), without a round trip to the server.
import { Button } from "./button";

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
    <Button
      type="button"
      variant="secondary"
      onClick={() => {
        const url = URL.createObjectURL(new Blob([text], { type }));
        const a = document.createElement("a");
        a.href = url;
        a.download = filename;
        document.body.appendChild(a);
        a.click();
        a.remove();
        setTimeout(() => URL.revokeObjectURL(url), 1_000);
      }}
    >
      {label}
    </Button>
  );
}
