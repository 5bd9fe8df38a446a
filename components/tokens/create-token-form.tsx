"use client";
// The form that makes a personal or project access token: a name, the caller's own fields (a project token's
// role), scopes as checkboxes with what each opens, and an expiry in days. The server's error shows beside the
// field it names (or one of its items, "scopes.0"), or above the form; the new token goes to `onCreated` once.
import { useMutation, useQueryClient, type QueryKey } from "@tanstack/react-query";
import { useState, type FormEvent, type ReactNode } from "react";
import { ApiError, fetchJson } from "@/components/providers";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { fieldMessage, formMessage, parseExpiryDays } from "./token-logic";

export interface CreateTokenBody {
  name: string;
  scopes: string[];
  expiresInDays: number;
  [field: string]: unknown;
}

/** The value of a token just made, until the user says it is copied; a new form (a new key) after that. */
export function useRevealOnce<C>() {
  const [created, setCreated] = useState<C | null>(null);
  const [formKey, setFormKey] = useState(0);
  return {
    created,
    formKey,
    reveal: setCreated,
    done: () => {
      setCreated(null);
      setFormKey((k) => k + 1);
    },
  };
}

export function CreateTokenForm<T>({
  idPrefix,
  label,
  url,
  listKey,
  nameHint,
  scopes,
  scopeHelp,
  defaultScopes,
  maxDays,
  expiryHint,
  submitLabel,
  fields,
  bodyOf,
  onCreated,
}: {
  /** Prefix of the controls' ids: `${idPrefix}-name`, `${idPrefix}-scope-api`, `${idPrefix}-expiry`. */
  idPrefix: string;
  /** The form's accessible name. */
  label: string;
  url: string;
  /** The list to load again once a token is made. */
  listKey: QueryKey;
  nameHint: string;
  scopes: readonly string[];
  scopeHelp: Readonly<Record<string, string>>;
  defaultScopes: ReadonlySet<string>;
  maxDays: number;
  expiryHint: string;
  submitLabel: string;
  /** The caller's own fields, between the name and the scopes, with the server's error for each. */
  fields?: (fieldError: (name: string) => string | undefined) => ReactNode;
  /** The caller's own fields' values for the request. */
  bodyOf?: (data: FormData) => Record<string, unknown>;
  onCreated: (created: T, body: CreateTokenBody) => void;
}) {
  const queryClient = useQueryClient();
  const create = useMutation({
    mutationFn: (body: CreateTokenBody) =>
      fetchJson<T>(url, { method: "POST", body: JSON.stringify(body) }).then((created) => ({ created, body })),
    onSuccess: ({ created, body }) => {
      void queryClient.invalidateQueries({ queryKey: listKey });
      onCreated(created, body);
    },
  });
  const [daysError, setDaysError] = useState<string | undefined>();
  const failure = create.error
    ? { message: create.error.message, field: create.error instanceof ApiError ? create.error.field : undefined }
    : null;
  const fieldError = (name: string) => fieldMessage(failure, name);
  const onSubmit = (e: FormEvent<HTMLFormElement>) => {
    e.preventDefault();
    const data = new FormData(e.currentTarget);
    const expiry = parseExpiryDays(String(data.get("expiresInDays") ?? ""), maxDays);
    if ("error" in expiry) {
      create.reset();
      setDaysError(expiry.error);
      return;
    }
    setDaysError(undefined);
    create.mutate({
      name: String(data.get("name") ?? ""),
      ...bodyOf?.(data),
      scopes: data.getAll("scopes").map(String),
      expiresInDays: expiry.days,
    });
  };
  const scopesError = fieldError("scopes");
  return (
    <form onSubmit={onSubmit} noValidate aria-label={label} className="max-w-lg space-y-4">
      <FormError message={formMessage(failure)} />
      <Field
        label="Token name"
        id={`${idPrefix}-name`}
        name="name"
        required
        maxLength={100}
        error={fieldError("name")}
        hint={nameHint}
      />
      {fields?.(fieldError)}
      <fieldset aria-describedby={scopesError ? `${idPrefix}-scopes-error` : undefined}>
        <legend className="text-sm font-medium text-zinc-700 dark:text-zinc-300">Scopes</legend>
        {scopes.map((s) => (
          <div key={s} className="mt-2 flex items-start gap-2 text-sm">
            <input
              type="checkbox"
              id={`${idPrefix}-scope-${s}`}
              name="scopes"
              value={s}
              defaultChecked={defaultScopes.has(s)}
              aria-describedby={scopeHelp[s] ? `${idPrefix}-scope-${s}-help` : undefined}
              className="mt-0.5"
            />
            <span>
              <label htmlFor={`${idPrefix}-scope-${s}`} className="font-mono">
                {s}
              </label>
              {scopeHelp[s] ? (
                <span id={`${idPrefix}-scope-${s}-help`} className="block text-xs text-zinc-500">
                  {scopeHelp[s]}
                </span>
              ) : null}
            </span>
          </div>
        ))}
        {scopesError ? (
          <p id={`${idPrefix}-scopes-error`} className="mt-1 text-sm text-red-600 dark:text-red-400">
            {scopesError}
          </p>
        ) : null}
      </fieldset>
      <Field
        label="Expires after (days)"
        id={`${idPrefix}-expiry`}
        name="expiresInDays"
        type="number"
        inputMode="numeric"
        min={1}
        max={maxDays}
        defaultValue={30}
        required
        error={daysError ?? fieldError("expiresInDays")}
        hint={expiryHint}
      />
      <Button type="submit" disabled={create.isPending}>
        {create.isPending ? "Creating…" : submitLabel}
      </Button>
    </form>
  );
}
