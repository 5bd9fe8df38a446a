"use client";
// A project's settings: its name, path and description (maintainers and owners), and moving it to
// another namespace (owners). The page moves to the project's new path after either.
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { PATH_HINT } from "@/components/ui/slug";
import { useJsonForm } from "@/components/ui/use-json-form";

type Saved = { project: { fullPath: string } };

function useFollow(fullPath: string) {
  const router = useRouter();
  return (d: Saved) => {
    if (d.project.fullPath !== fullPath) router.replace(`/projects/${d.project.fullPath}`);
    router.refresh();
  };
}

export function EditProjectForm({
  project,
}: {
  project: { id: string; name: string; path: string; fullPath: string; description: string };
}) {
  const form = useJsonForm<Saved>(`/api/projects/${project.id}`, useFollow(project.fullPath), "PATCH");
  return (
    <form onSubmit={form.onSubmit} className="max-w-lg space-y-4" noValidate aria-label="Edit project">
      <FormError message={form.formError} />
      <Field
        label="Project name"
        id="project-name"
        name="name"
        defaultValue={project.name}
        error={form.fieldError("name")}
      />
      <Field
        label="Project path"
        id="project-path"
        name="path"
        defaultValue={project.path}
        error={form.fieldError("path")}
        hint={`${PATH_HINT} Changing it changes the project's URL and kubeconfig contexts.`}
      />
      <Field
        label="Description"
        id="project-description"
        name="description"
        defaultValue={project.description}
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

export function TransferProjectForm({
  project,
  namespaces,
}: {
  project: { id: string; fullPath: string };
  namespaces: { path: string; label: string }[];
}) {
  const form = useJsonForm<Saved>(`/api/projects/${project.id}/transfer`, useFollow(project.fullPath));
  const current = project.fullPath.slice(0, project.fullPath.lastIndexOf("/"));
  const targets = namespaces.filter((n) => n.path !== current);
  if (targets.length === 0)
    return (
      <p className="text-sm text-zinc-600 dark:text-zinc-400">
        There is no other group where you are a maintainer or owner to move this project to.
      </p>
    );
  return (
    <form onSubmit={form.onSubmit} className="flex flex-wrap items-end gap-3" noValidate aria-label="Transfer project">
      <div className="space-y-1">
        <label htmlFor="transfer-namespace" className="block text-sm font-medium text-zinc-700 dark:text-zinc-300">
          New namespace
        </label>
        <select
          id="transfer-namespace"
          name="namespace"
          className="block rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm dark:border-zinc-700 dark:bg-zinc-900"
        >
          {targets.map((n) => (
            <option key={n.path} value={n.path}>
              {n.label}
            </option>
          ))}
        </select>
      </div>
      <Button type="submit" variant="secondary" disabled={form.pending}>
        {form.pending ? "Transferring…" : "Transfer project"}
      </Button>
      <div className="basis-full">
        <FormError message={form.formError ?? form.fieldError("namespace")} />
      </div>
    </form>
  );
}
