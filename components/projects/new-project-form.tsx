"use client";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { PATH_HINT, useSlugFields } from "@/components/ui/slug";
import { useJsonForm } from "@/components/ui/use-json-form";

export function NewProjectForm({
  namespaces,
  initialNamespace,
}: {
  namespaces: { path: string; label: string }[];
  initialNamespace?: string;
}) {
  const router = useRouter();
  const form = useJsonForm<{ project: { fullPath: string } }>("/api/projects", (d) =>
    router.push(`/projects/${d.project.fullPath}`),
  );
  const fields = useSlugFields();
  return (
    <form onSubmit={form.onSubmit} className="max-w-lg space-y-4" noValidate>
      <FormError message={form.formError} />
      <Field
        label="Project name"
        id="name"
        name="name"
        required
        autoFocus
        maxLength={100}
        {...fields.name}
        error={form.fieldError("name")}
        hint="At most 100 characters."
      />
      <div className="space-y-1">
        <label htmlFor="namespace" className="block text-sm font-medium text-zinc-700 dark:text-zinc-300">
          Group or personal namespace
        </label>
        <select
          id="namespace"
          name="namespace"
          defaultValue={initialNamespace}
          className="block w-full rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm dark:border-zinc-700 dark:bg-zinc-900"
        >
          {namespaces.map((n) => (
            <option key={n.path} value={n.path}>
              {n.label}
            </option>
          ))}
        </select>
        {form.fieldError("namespace") ? (
          <p className="text-sm text-red-600 dark:text-red-400">{form.fieldError("namespace")}</p>
        ) : null}
      </div>
      <Field
        label="Project path"
        id="path"
        name="path"
        required
        {...fields.path}
        error={form.fieldError("path")}
        hint={`Follows the name as you type. ${PATH_HINT}`}
      />
      <Field
        label="Description (optional)"
        id="description"
        name="description"
        error={form.fieldError("description")}
      />
      <Button type="submit" disabled={form.pending}>
        {form.pending ? "Creating…" : "Create project"}
      </Button>
    </form>
  );
}
