"use client";
// Who may create an account (open, listed e-mail domains, approval by an administrator, closed) and
// single-use invite links that expire; a new link is shown once.
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { ApiError, fetchJson } from "@/components/providers";
import { Button } from "@/components/ui/button";
import { CopyButton } from "@/components/ui/copy-button";
import { FormError } from "@/components/ui/form-error";
import type { InviteRow, SignUpMode } from "@/lib/auth/sign-up-policy";
import { InviteList } from "./invite-list";

const MODES: [SignUpMode, string, string][] = [
  ["open", "Open", "Anyone who reaches this installation can create an account."],
  ["domains", "E-mail domains", "Only e-mail addresses at the domains listed below."],
  ["approval", "Approval", "Anyone can sign up; an administrator approves each account before it can sign in."],
  ["closed", "Closed", "Nobody signs up without an invite link."],
];

export function SignUpSettings({
  mode: savedMode,
  domains: savedDomains,
  invites,
}: {
  mode: SignUpMode;
  domains: string[];
  invites: InviteRow[];
}) {
  const open = invites.filter((i) => i.state === "open").length;
  const router = useRouter();
  const [mode, setMode] = useState<SignUpMode>(savedMode);
  const [domains, setDomains] = useState(savedDomains.join(", "));
  const [saved, setSaved] = useState<string | null>(null);
  const [days, setDays] = useState("7");
  const save = useMutation({
    mutationFn: () =>
      fetchJson("/api/admin/sign-up", {
        method: "PUT",
        body: JSON.stringify({
          mode,
          domains: mode === "domains" ? domains.split(/[\s,]+/).filter(Boolean) : [],
        }),
      }),
    onSuccess: () => {
      setSaved(`Sign-up is now: ${MODES.find((m) => m[0] === mode)![1]}.`);
      router.refresh();
    },
  });
  const invite = useMutation({
    mutationFn: () =>
      fetchJson<{ url: string; expiresAt: string }>("/api/admin/invites", {
        method: "POST",
        body: JSON.stringify({ expiresInDays: Number(days) }),
      }),
    onSuccess: () => router.refresh(),
  });
  const domainsError = save.error instanceof ApiError && save.error.field?.startsWith("domains");
  return (
    <section aria-labelledby="sign-up-heading" className="mb-8 max-w-3xl">
      <h2 id="sign-up-heading" className="mb-2 text-lg font-semibold">
        Sign-up
      </h2>
      <form
        onSubmit={(e: FormEvent) => {
          e.preventDefault();
          setSaved(null);
          save.mutate();
        }}
        className="space-y-3"
      >
        <fieldset className="space-y-2">
          <legend className="mb-1 text-sm font-medium">Who may create an account</legend>
          {MODES.map(([value, label, hint]) => (
            <label key={value} className="flex items-start gap-2 text-sm">
              <input
                type="radio"
                name="sign-up-mode"
                value={value}
                checked={mode === value}
                onChange={() => setMode(value)}
                className="mt-1"
              />
              <span>
                <span className="font-medium">{label}</span>
                <span className="block text-xs text-zinc-500">{hint}</span>
              </span>
            </label>
          ))}
        </fieldset>
        {mode === "domains" ? (
          <div className="space-y-1">
            <label htmlFor="sign-up-domains" className="block text-sm font-medium">
              E-mail domains
            </label>
            <input
              id="sign-up-domains"
              value={domains}
              onChange={(e) => setDomains(e.target.value)}
              aria-invalid={domainsError ? true : undefined}
              aria-describedby="sign-up-domains-hint"
              className="block w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm dark:border-zinc-700 dark:bg-zinc-900"
            />
            <p id="sign-up-domains-hint" className="text-xs text-zinc-500">
              Separated by commas or spaces, for example: example.com, example.org
            </p>
          </div>
        ) : null}
        <FormError message={save.error?.message} />
        <div className="flex items-center gap-3">
          <Button type="submit" disabled={save.isPending}>
            {save.isPending ? "Saving…" : "Save sign-up setting"}
          </Button>
          {saved ? (
            <span role="status" className="text-sm text-green-700 dark:text-green-400">
              {saved}
            </span>
          ) : null}
        </div>
      </form>

      <h3 className="mb-1 mt-6 font-semibold">Invite links</h3>
      <p className="mb-2 text-sm text-zinc-600 dark:text-zinc-400">
        Each link creates one account whatever the setting above says, and stops working once used, revoked or expired.{" "}
        {open === 1 ? "1 link is" : `${open} links are`} open.
      </p>
      <div className="flex flex-wrap items-end gap-2">
        <div className="space-y-1">
          <label htmlFor="invite-days" className="block text-sm font-medium">
            Expires after (days)
          </label>
          <input
            id="invite-days"
            type="number"
            min={1}
            max={30}
            value={days}
            onChange={(e) => setDays(e.target.value)}
            className="block w-24 rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm dark:border-zinc-700 dark:bg-zinc-900"
          />
        </div>
        <Button type="button" variant="secondary" onClick={() => invite.mutate()} disabled={invite.isPending}>
          {invite.isPending ? "Creating…" : "Create invite link"}
        </Button>
      </div>
      <div className="mt-2">
        <FormError message={invite.error?.message} />
      </div>
      {invite.data ? (
        <div className="mt-3 rounded-md border border-zinc-200 p-3 dark:border-zinc-800">
          <p className="mb-2 text-sm">
            Send this link to the person you invite. It is shown only now; it expires{" "}
            <time dateTime={invite.data.expiresAt}>{invite.data.expiresAt.slice(0, 16).replace("T", " ")} UTC</time>.
          </p>
          <div className="flex flex-wrap items-center gap-2">
            <code data-testid="invite-link" className="break-all text-xs">
              {invite.data.url}
            </code>
            <CopyButton text={invite.data.url} label="Copy invite link" />
          </div>
        </div>
      ) : null}
      <InviteList invites={invites} />
    </section>
  );
}
