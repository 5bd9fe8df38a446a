"use client";
// Create an agent token: name and description. The server refuses a third active token with a message
// saying why, shown above the form.
import { useQueryClient } from "@tanstack/react-query";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { useJsonForm } from "@/components/ui/use-json-form";
import { agentKeys, type CreatedToken } from "./api";

export function CreateTokenForm({
  agentId,
  defaultName,
  onCreated,
  onCancel,
  cancelLabel = "Cancel",
}: {
  agentId: string;
  defaultName?: string;
  onCreated: (t: CreatedToken) => void;
  onCancel?: () => void;
  cancelLabel?: string;
}) {
  const queryClient = useQueryClient();
  const form = useJsonForm<CreatedToken>(`/api/agents/${encodeURIComponent(agentId)}/tokens`, (created) => {
    void queryClient.invalidateQueries({ queryKey: agentKeys.tokens(agentId) });
    void queryClient.invalidateQueries({ queryKey: agentKeys.agent(agentId) });
    onCreated(created);
  });
  return (
    <form onSubmit={form.onSubmit} className="max-w-lg space-y-4" noValidate aria-label="Create an agent token">
      <FormError message={form.formError} />
      <Field
        label="Token name"
        id="token-name"
        name="name"
        required
        defaultValue={defaultName}
        error={form.fieldError("name")}
        hint="Something that says where it is used, e.g. the cluster's name."
      />
      <Field
        label="Description (optional)"
        id="token-description"
        name="description"
        error={form.fieldError("description")}
      />
      <div className="flex gap-3">
        <Button type="submit" disabled={form.pending}>
          {form.pending ? "Creating…" : "Create token"}
        </Button>
        {onCancel ? (
          <Button type="button" variant="secondary" onClick={onCancel}>
            {cancelLabel}
          </Button>
        ) : null}
      </div>
    </form>
  );
}
