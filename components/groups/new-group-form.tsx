"use client";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { useJsonForm } from "@/components/ui/use-json-form";

export function NewGroupForm() {
  const router = useRouter();
  const form = useJsonForm<{ group: { path: string } }>("/api/groups", (d) => router.push(`/groups/${d.group.path}`));
  return (
    <form onSubmit={form.onSubmit} className="max-w-lg space-y-4" noValidate>
      <FormError message={form.formError} />
      <Field label="Group name" id="name" name="name" required autoFocus error={form.fieldError("name")} />
      <Field
        label="Group path"
        id="path"
        name="path"
        required
        error={form.fieldError("path")}
        hint="Used in URLs and in Kubernetes impersonation groups, e.g. platform-team."
      />
      <Field
        label="Description (optional)"
        id="description"
        name="description"
        error={form.fieldError("description")}
      />
      <Button type="submit" disabled={form.pending}>
        {form.pending ? "Creating…" : "Create group"}
      </Button>
    </form>
  );
}
