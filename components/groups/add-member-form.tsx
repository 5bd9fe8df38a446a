"use client";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { Field } from "@/components/ui/field";
import { FormError } from "@/components/ui/form-error";
import { RoleOptions } from "@/components/ui/role-options";
import { useJsonForm } from "@/components/ui/use-json-form";

export function AddMemberForm({ groupPath, roles }: { groupPath: string; roles: string[] }) {
  const router = useRouter();
  const form = useJsonForm(`/api/groups/${encodeURIComponent(groupPath)}/members`, () => router.refresh());
  return (
    <form onSubmit={form.onSubmit} className="flex flex-wrap items-end gap-3" noValidate aria-label="Add member">
      <div className="w-64">
        <Field label="Username" id="member-username" name="username" required error={form.fieldError("username")} />
      </div>
      <div className="space-y-1">
        <label htmlFor="member-role" className="block text-sm font-medium text-zinc-700 dark:text-zinc-300">
          Role
        </label>
        <select
          id="member-role"
          name="role"
          defaultValue="developer"
          className="block rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm dark:border-zinc-700 dark:bg-zinc-900"
        >
          <RoleOptions roles={roles} />
        </select>
      </div>
      <Button type="submit" disabled={form.pending}>
        {form.pending ? "Adding…" : "Add member"}
      </Button>
      <div className="basis-full">
        <FormError message={form.formError ?? form.fieldError("role")} />
      </div>
    </form>
  );
}
