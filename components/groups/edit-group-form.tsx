"use client";
// A group's name, path and description, changed by its owners. A new path moves the group's projects'
// paths too, so the page follows it.
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { PATH_HINT } from "@/components/ui/slug";
import { useJsonForm } from "@/components/ui/use-json-form";

export function EditGroupForm({ group }: { group: { path: string; name: string; description: string } }) {
  const router = useRouter();
  const form = useJsonForm<{ group: { path: string } }>(
    `/api/groups/${encodeURIComponent(group.path)}`,
    (d) => {
      if (d.group.path !== group.path) router.replace(`/groups/${d.group.path}`);
      router.refresh();
    },
    "PATCH",
  );
  return (
    <form onSubmit={form.onSubmit} className="max-w-lg space-y-4" noValidate aria-label="Edit group">
      <FormError message={form.formError} />
      <Field label="Group name" id="group-name" name="name" defaultValue={group.name} error={form.fieldError("name")} />
      <Field
        label="Group path"
        id="group-path"
        name="path"
        defaultValue={group.path}
        error={form.fieldError("path")}
        hint={`${PATH_HINT} Changing it changes every project's path and URL in the group.`}
      />
      <Field
        label="Description"
        id="group-description"
        name="description"
        defaultValue={group.description}
        error={form.fieldError("description")}
      />
      <div className="flex items-center gap-3">
        <Button type="submit" disabled={form.pending}>
          {form.pending ? "Saving…" : "Save changes"}
        </Button>
        {form.succeeded && !form.pending ? (
          <p role="status" className="text-sm text-green-700 dark:text-green-400">
            Saved
          </p>
        ) : null}
      </div>
    </form>
  );
}
