/** The `<option>`s of a role picker: each role by its value, named with a capital ("developer" → "Developer"). */
export function RoleOptions({ roles }: { roles: readonly string[] }) {
  return roles.map((r) => (
    <option key={r} value={r}>
      {r[0]!.toUpperCase() + r.slice(1)}
    </option>
  ));
}
