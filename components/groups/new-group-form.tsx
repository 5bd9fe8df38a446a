"use client";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { PATH_HINT, useSlugFields } from "@/components/ui/slug";
import { useJsonForm } from "@/components/ui/use-json-form";

export function NewGroupForm() {
  const router = useRouter();
  const form = useJsonForm<{ group: { path: string } }>("/api/groups", (d) => router.push(`/groups/${d.group.path}`));
  const fields = useSlugFields();
  return (
    <form onSubmit={form.onSubmit} className="max-w-lg space-y-4" noValidate>
      <FormError message={form.formError} />
      <Field
        label="Group name"
        id="name"
        name="name"
        required
        autoFocus
        maxLength={100}
        {...fields.name}
        error={form.fieldError("name")}
        hint="At most 100 characters."
      />
      <Field
        label="Group path"
        id="path"
        name="path"
        required
        {...fields.path}
        error={form.fieldError("path")}
        hint={`Follows the name as you type. Used in URLs and in Kubernetes impersonation groups. ${PATH_HINT}`}
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
