// Kubernetes label selectors (`app=web,tier!=db,env in (a,b),!legacy`), parsed as the API server's
// labels.Parse reads them: equality (=, ==, !=), sets (in, notin), existence (key, !key) and the integer
// comparisons (>, <). The live view checks a selector here before it asks the cluster, so a typo gets a
// specific message at once; the server checks it again before passing it on as `labelSelector`. No package
// on npm parses this syntax and is kept up, hence this small one (label-selector.test.ts).

export type Requirement =
  | { key: string; op: "exists" | "!exists" }
  | { key: string; op: "=" | "!="; value: string }
  | { key: string; op: "in" | "notin"; values: string[] }
  | { key: string; op: ">" | "<"; value: number };

export class LabelSelectorError extends Error {}

/** Characters that end a word: whitespace and the selector's punctuation. */
const STOP = /[\s,=!()<>]/;
const NAME = /^([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]$/;
const DNS_SUBDOMAIN = /^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/;

function checkKey(key: string): void {
  const slash = key.indexOf("/");
  const prefix = slash >= 0 ? key.slice(0, slash) : "";
  const name = slash >= 0 ? key.slice(slash + 1) : key;
  if (slash >= 0 && (!DNS_SUBDOMAIN.test(prefix) || prefix.length > 253))
    throw new LabelSelectorError(`"${key}" is not a label key: its prefix must be a DNS subdomain (example.com/…)`);
  if (!NAME.test(name) || name.length > 63)
    throw new LabelSelectorError(
      `"${key}" is not a label key: up to 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit`,
    );
}

function checkValue(key: string, value: string): void {
  if (value !== "" && (!NAME.test(value) || value.length > 63))
    throw new LabelSelectorError(
      `"${value}" is not a label value (for ${key}): up to 63 letters, digits, "-", "_" or ".", starting and ending with a letter or digit`,
    );
}

/** The requirements of a selector; an empty (or blank) selector has none and selects everything. */
export function parseLabelSelector(input: string): Requirement[] {
  let pos = 0;
  const skipSpace = () => {
    while (pos < input.length && /\s/.test(input[pos]!)) pos++;
  };
  const word = () => {
    const start = pos;
    while (pos < input.length && !STOP.test(input[pos]!)) pos++;
    return input.slice(start, pos);
  };
  const at = () => (pos < input.length ? `"${input.slice(pos, pos + 12)}"` : "the end");

  const requirement = (): Requirement => {
    skipSpace();
    if (input[pos] === "!") {
      pos++;
      skipSpace();
      const key = word();
      if (!key) throw new LabelSelectorError(`a label key must follow "!" (found ${at()})`);
      checkKey(key);
      return { key, op: "!exists" };
    }
    const key = word();
    if (!key) throw new LabelSelectorError(`expected a label key, found ${at()}`);
    checkKey(key);
    skipSpace();
    if (pos >= input.length || input[pos] === ",") return { key, op: "exists" };
    let op: "=" | "!=" | ">" | "<" | null = null;
    if (input.startsWith("==", pos) || input.startsWith("!=", pos)) {
      op = input[pos] === "!" ? "!=" : "=";
      pos += 2;
    } else if (input[pos] === "=" || input[pos] === ">" || input[pos] === "<") {
      op = input[pos] as "=" | ">" | "<";
      pos++;
    }
    if (op === "=" || op === "!=") {
      skipSpace();
      const value = word();
      checkValue(key, value);
      return { key, op, value };
    }
    if (op) {
      skipSpace();
      const value = word();
      if (!/^-?\d+$/.test(value))
        throw new LabelSelectorError(`"${key} ${op}" needs a whole number, found ${value ? `"${value}"` : at()}`);
      return { key, op, value: Number(value) };
    }
    const setOp = word();
    if (setOp !== "in" && setOp !== "notin")
      throw new LabelSelectorError(
        `after "${key}" expected =, ==, !=, in, notin, > or <, found ${setOp ? `"${setOp}"` : at()}`,
      );
    skipSpace();
    if (input[pos] !== "(") throw new LabelSelectorError(`"${key} ${setOp}" needs a list in parentheses, e.g. (a,b)`);
    pos++;
    const values: string[] = [];
    for (;;) {
      skipSpace();
      if (input[pos] === ")" && values.length === 0)
        throw new LabelSelectorError(`"${key} ${setOp} ()" needs at least one value`);
      const value = word();
      checkValue(key, value);
      values.push(value);
      skipSpace();
      if (input[pos] === ",") {
        pos++;
        continue;
      }
      if (input[pos] === ")") {
        pos++;
        break;
      }
      throw new LabelSelectorError(`the list after "${key} ${setOp}" is not closed with ")" (found ${at()})`);
    }
    return { key, op: setOp, values };
  };

  const out: Requirement[] = [];
  skipSpace();
  if (pos >= input.length) return out;
  for (;;) {
    out.push(requirement());
    skipSpace();
    if (pos >= input.length) return out;
    if (input[pos] !== ",") throw new LabelSelectorError(`expected "," between requirements, found ${at()}`);
    pos++;
    skipSpace();
    if (pos >= input.length) throw new LabelSelectorError(`a requirement must follow the last ","`);
  }
}

/** The selector written the one way (no spaces but in "in (…)"), as the live view sends it and keys it. */
export function formatLabelSelector(requirements: Requirement[]): string {
  return requirements
    .map((r) => {
      switch (r.op) {
        case "exists":
          return r.key;
        case "!exists":
          return `!${r.key}`;
        case "=":
        case "!=":
          return `${r.key}${r.op}${r.value}`;
        case ">":
        case "<":
          return `${r.key}${r.op}${r.value}`;
        case "in":
        case "notin":
          return `${r.key} ${r.op} (${r.values.join(",")})`;
      }
    })
    .join(",");
}

/** A selector checked: its canonical text, or why it is malformed. */
export function checkLabelSelector(input: string): { ok: true; selector: string } | { ok: false; error: string } {
  try {
    return { ok: true, selector: formatLabelSelector(parseLabelSelector(input)) };
  } catch (e) {
    if (e instanceof LabelSelectorError) return { ok: false, error: e.message };
    throw e;
  }
}

/** Whether labels satisfy every requirement, with the API server's meaning (!= and notin match a missing key). */
export function matchesLabelSelector(requirements: Requirement[], labels: Record<string, string>): boolean {
  return requirements.every((r) => {
    const has = Object.hasOwn(labels, r.key);
    const v = labels[r.key];
    switch (r.op) {
      case "exists":
        return has;
      case "!exists":
        return !has;
      case "=":
        return has && v === r.value;
      case "!=":
        return !has || v !== r.value;
      case "in":
        return has && r.values.includes(v!);
      case "notin":
        return !has || !r.values.includes(v!);
      case ">":
      case "<":
        if (!has || !/^-?\d+$/.test(v!)) return false;
        return r.op === ">" ? Number(v) > r.value : Number(v) < r.value;
    }
  });
}

/** The collection path for a selector (none: the path itself). */
export function withLabelSelector(path: string, selector: string): string {
  return selector ? `${path}?${new URLSearchParams({ labelSelector: selector })}` : path;
}
