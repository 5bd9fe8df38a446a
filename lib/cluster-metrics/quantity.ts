// Kubernetes resource quantities ("250m", "1.5", "128974848", "129e6", "123Mi", "12345678n") as plain numbers
// (CPU in cores, memory in bytes), and how `kubectl top` prints them. Pure and free of server code: the
// metrics route parses metrics-server's figures with it and the browser parses nodes' allocatable.

const DECIMAL: Record<string, number> = {
  n: 1e-9,
  u: 1e-6,
  m: 1e-3,
  "": 1,
  k: 1e3,
  M: 1e6,
  G: 1e9,
  T: 1e12,
  P: 1e15,
  E: 1e18,
};
const BINARY: Record<string, number> = { Ki: 2 ** 10, Mi: 2 ** 20, Gi: 2 ** 30, Ti: 2 ** 40, Pi: 2 ** 50, Ei: 2 ** 60 };
const QUANTITY = /^([+-]?(?:\d+\.?\d*|\.\d+))(?:(Ki|Mi|Gi|Ti|Pi|Ei|[numkMGTPE])|[eE]([+-]?\d+))?$/;

/** A quantity's value as a number (cores, bytes, counts), or null when the text is not a quantity. */
export function parseQuantity(text: unknown): number | null {
  if (typeof text === "number") return Number.isFinite(text) ? text : null;
  if (typeof text !== "string") return null;
  const m = QUANTITY.exec(text.trim());
  if (!m) return null;
  const n = Number(m[1]);
  if (m[3] !== undefined) return n * 10 ** Number(m[3]);
  const suffix = m[2] ?? "";
  return n * (BINARY[suffix] ?? DECIMAL[suffix] ?? 1);
}

const MI = 2 ** 20;
const GI = 2 ** 30;

/** CPU as `kubectl top` prints it: whole millicores, rounded up ("12m", "1500m"). */
export function formatCpu(cores: number): string {
  return `${Math.ceil(cores * 1000 - 1e-6)}m`;
}

/** Memory as `kubectl top` prints it: whole mebibytes, rounded down ("300Mi"). */
export function formatMemory(bytes: number): string {
  return `${Math.floor(bytes / MI)}Mi`;
}

/** A total for a sentence: cores with up to two decimals ("0.25", "32"). */
export function formatCores(cores: number): string {
  return String(Math.round(cores * 100) / 100);
}

/** A total of memory for a sentence: Mi below a gibibyte, else Gi with up to one decimal ("600Mi", "1.5Gi"). */
export function formatBytes(bytes: number): string {
  return bytes < GI ? formatMemory(bytes) : `${Math.round((bytes / GI) * 10) / 10}Gi`;
}

/** Used of available as a whole percentage, as `kubectl top node` prints CPU% ("4%"); "" when nothing is available. */
export function percentOf(used: number, available: number): string {
  return available > 0 ? `${Math.round((used / available) * 100)}%` : "";
}
