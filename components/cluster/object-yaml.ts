// The drawer's object as YAML, shown, copied and downloaded (the `yaml` package, as kubectl -o yaml lays it
// out). A Secret's values never reach the browser (the server sends key names and sizes only): each key
// reads "hidden (N bytes)", so the text says so rather than showing an empty value, and cannot be applied
// back by mistake as one. Pure (tested).
import { stringify } from "yaml";
import { SECRET_BYTES_FIELD } from "@/lib/cluster-cache/wire";
import { plural } from "@/components/ui/plural";
import type { KubeItem } from "./kinds";

/** What the page says instead of a Secret's value. */
export function hiddenValue(bytes: number | undefined): string {
  return typeof bytes === "number" ? `hidden (${plural(bytes, "byte")})` : "hidden";
}

export function isSecret(o: KubeItem, kindKey?: string): boolean {
  return kindKey === "secrets" || (o.kind === "Secret" && (o.apiVersion ?? "v1") === "v1");
}

/** A Secret's keys with what the page shows for each; empty for anything else. */
export function secretKeys(o: KubeItem, kindKey?: string): { key: string; shown: string }[] {
  if (!isSecret(o, kindKey)) return [];
  const sizes = (o[SECRET_BYTES_FIELD] ?? {}) as Record<string, number>;
  return Object.keys(o.data ?? {}).map((key) => ({ key, shown: hiddenValue(sizes[key]) }));
}

/** The object as YAML; for a Secret, its keys with "hidden (N bytes)" and never a value. */
export function objectYaml(o: KubeItem, kindKey?: string): string {
  const { [SECRET_BYTES_FIELD]: _sizes, ...rest } = o;
  void _sizes;
  if (!isSecret(o, kindKey)) return stringify(rest);
  // Whatever reached the browser, nothing but the key names goes into the text.
  const data = Object.fromEntries(secretKeys(o, kindKey).map(({ key, shown }) => [key, shown]));
  const { stringData: _string, ...secret } = rest;
  void _string;
  return stringify(o.data ? { ...secret, data } : secret);
}

/** The download's file name: `<kind>-<namespace>-<name>.yaml` (no namespace for a cluster-scoped object). */
export function yamlFileName(o: KubeItem, kindName: string): string {
  const kind = (typeof o.kind === "string" && o.kind ? o.kind : kindName).toLowerCase();
  return `${[kind, o.metadata.namespace, o.metadata.name].filter(Boolean).join("-")}.yaml`;
}
