// A custom resource's printer columns (its CRD's additionalPrinterColumns) as table cells, read the way
// `kubectl get` reads them: the first value the JSONPath finds, a date as an age, nothing found as empty.
import { JSONPath } from "jsonpath-plus";
import type { PrinterColumn } from "@/lib/cluster-cache";
import { ageOf, type KubeItem } from "./kinds";

/** CRDs write simple JSONPaths without the root ("{.spec.url}" or ".spec.url"); JSONPath Plus wants "$.spec.url". */
function rooted(jsonPath: string): string {
  const bare = jsonPath
    .trim()
    .replace(/^\{(.*)\}$/, "$1")
    .trim();
  return bare.startsWith("$") ? bare : `$${bare}`;
}

export function printerColumnValue(o: KubeItem, column: PrinterColumn, now: number): string {
  let found: unknown;
  try {
    found = (JSONPath({ path: rooted(column.jsonPath), json: o, wrap: true }) as unknown[])[0];
  } catch {
    return ""; // a path JSONPath Plus cannot read shows nothing, as kubectl shows <none>
  }
  if (found === undefined || found === null) return "";
  if (column.type === "date" && typeof found === "string") return ageOf(found, now);
  if (typeof found === "object") return JSON.stringify(found);
  return String(found);
}

/** The Age column is always there: a printer column of the creation time would repeat it. */
export function tableColumns(columns: PrinterColumn[]): PrinterColumn[] {
  return columns.filter((c) => rooted(c.jsonPath) !== "$.metadata.creationTimestamp");
}
