// A line diff of two texts as the diff views draw it: hunks of changed lines with a few lines of context,
// each line numbered on the side(s) it belongs to. Pure (jsdiff), shared by the configuration history and
// the object drawer's "Review" step.
import { structuredPatch } from "diff";

export interface DiffLine {
  kind: "same" | "add" | "del";
  /** 1-based line in the old text (same, del). */
  oldLine?: number;
  /** 1-based line in the new text (same, add). */
  newLine?: number;
  text: string;
}

export interface DiffHunk {
  /** "@@ -3,7 +3,8 @@", as `diff -u` heads a hunk. */
  header: string;
  lines: DiffLine[];
}

export interface LineDiff {
  hunks: DiffHunk[];
  added: number;
  removed: number;
}

/** The changed lines of `after` against `before`, with `context` unchanged lines around each change. */
export function lineDiff(before: string, after: string, context = 3): LineDiff {
  const patch = structuredPatch("before", "after", withNewline(before), withNewline(after), undefined, undefined, {
    context,
  });
  let added = 0;
  let removed = 0;
  const hunks = patch.hunks.map((h): DiffHunk => {
    let o = h.oldStart;
    let n = h.newStart;
    const lines: DiffLine[] = [];
    for (const raw of h.lines) {
      const mark = raw[0];
      const text = raw.slice(1);
      if (mark === "+") {
        added++;
        lines.push({ kind: "add", newLine: n++, text });
      } else if (mark === "-") {
        removed++;
        lines.push({ kind: "del", oldLine: o++, text });
      } else if (mark === " ") {
        lines.push({ kind: "same", oldLine: o++, newLine: n++, text });
      }
      // "\ No newline at end of file" cannot occur: both texts end with one.
    }
    return { header: `@@ -${h.oldStart},${h.oldLines} +${h.newStart},${h.newLines} @@`, lines };
  });
  return { hunks, added, removed };
}

const withNewline = (s: string) => (s === "" || s.endsWith("\n") ? s : `${s}\n`);

/** "2 lines added, 1 removed", "No differences". */
export function describeDiff(d: Pick<LineDiff, "added" | "removed">): string {
  if (d.added === 0 && d.removed === 0) return "No differences";
  const lines = (n: number) => (n === 1 ? "1 line" : `${n} lines`);
  if (d.removed === 0) return `${lines(d.added)} added`;
  if (d.added === 0) return `${lines(d.removed)} removed`;
  return `${lines(d.added)} added, ${d.removed} removed`;
}
