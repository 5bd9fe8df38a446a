"use client";
// The YAML editor (CodeMirror 6): highlighting, line numbers, undo, Tab and Shift-Tab indent the lines.
// Tab stays inside the editor, so keyboard users leave it with Escape then Tab (CodeMirror's own escape
// from the Tab trap) or Ctrl-M, which the hint under every editor says. Problems are marked on their lines.
// Loaded only by the pages that edit YAML, through index.tsx's dynamic import.
import { defaultKeymap, history, historyKeymap, indentWithTab } from "@codemirror/commands";
import { yaml } from "@codemirror/lang-yaml";
import {
  bracketMatching,
  defaultHighlightStyle,
  HighlightStyle,
  indentOnInput,
  indentUnit,
  syntaxHighlighting,
} from "@codemirror/language";
import { setDiagnostics, type Diagnostic } from "@codemirror/lint";
import { Compartment, EditorState, Annotation } from "@codemirror/state";
import {
  drawSelection,
  EditorView,
  highlightActiveLine,
  highlightActiveLineGutter,
  keymap,
  lineNumbers,
} from "@codemirror/view";
import { tags } from "@lezer/highlight";
import { useTheme } from "next-themes";
import { useEffect, useRef } from "react";
import { useCspNonce } from "@/components/providers";
import type { EditorApi, YamlEditorProps } from "./types";

/** Marks a change made from the `value` prop, so it is not reported back through onChange. */
const fromProps = Annotation.define<boolean>();

const darkHighlight = HighlightStyle.define(
  [
    { tag: tags.keyword, color: "#c4b5fd" },
    { tag: [tags.propertyName, tags.definition(tags.propertyName)], color: "#7dd3fc" },
    { tag: [tags.string, tags.special(tags.string)], color: "#86efac" },
    { tag: [tags.number, tags.bool, tags.null, tags.atom], color: "#fdba74" },
    { tag: tags.comment, color: "#a1a1aa", fontStyle: "italic" },
    { tag: [tags.meta, tags.labelName, tags.typeName], color: "#f9a8d4" },
    { tag: tags.invalid, color: "#fca5a5" },
  ],
  { themeType: "dark" },
);

function themeFor(dark: boolean) {
  return EditorView.theme(
    {
      "&": { backgroundColor: "transparent", color: "inherit", fontSize: "0.875rem" },
      ".cm-content": { fontFamily: "ui-monospace, SFMono-Regular, Menlo, monospace", caretColor: "currentColor" },
      ".cm-scroller": { fontFamily: "ui-monospace, SFMono-Regular, Menlo, monospace", lineHeight: "1.5rem" },
      ".cm-gutters": {
        backgroundColor: dark ? "#18181b" : "#fafafa",
        color: dark ? "#a1a1aa" : "#71717a",
        borderRight: `1px solid ${dark ? "#27272a" : "#e4e4e7"}`,
      },
      ".cm-activeLine": { backgroundColor: dark ? "#ffffff0a" : "#0000000a" },
      ".cm-activeLineGutter": { backgroundColor: dark ? "#ffffff14" : "#00000010" },
      "&.cm-focused": { outline: "2px solid #6366f1", outlineOffset: "-2px" },
      "&.cm-focused .cm-cursor": { borderLeftColor: "currentColor" },
      ".cm-lintRange-error": { backgroundImage: "none", textDecoration: "underline wavy #dc2626" },
      ".tether-problem-mark": { backgroundColor: dark ? "#7f1d1d99" : "#fee2e2" },
    },
    { dark },
  );
}

export default function CodeEditor({
  value,
  onChange,
  readOnly = false,
  label,
  describedBy,
  problems = [],
  minLines = 12,
  maxLines = 24,
  onEditor,
}: YamlEditorProps) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const nonce = useCspNonce();
  const { resolvedTheme } = useTheme();
  const dark = resolvedTheme === "dark";
  const compartments = useRef({ theme: new Compartment(), readOnly: new Compartment(), aria: new Compartment() });
  const changed = useRef(onChange);
  useEffect(() => {
    changed.current = onChange;
  }, [onChange]);

  // Made once; the props below reach it through compartments and transactions.
  useEffect(() => {
    if (!host.current) return;
    const c = compartments.current;
    const v = new EditorView({
      parent: host.current,
      state: EditorState.create({
        doc: value,
        extensions: [
          EditorView.cspNonce.of(nonce ?? ""),
          lineNumbers(),
          highlightActiveLineGutter(),
          highlightActiveLine(),
          history(),
          drawSelection(),
          indentOnInput(),
          bracketMatching(),
          EditorState.tabSize.of(2),
          indentUnit.of("  "),
          yaml(),
          syntaxHighlighting(darkHighlight),
          syntaxHighlighting(defaultHighlightStyle, { fallback: true }),
          keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
          c.theme.of(themeFor(dark)),
          c.readOnly.of([EditorState.readOnly.of(readOnly), EditorView.editable.of(!readOnly)]),
          c.aria.of(ariaOf(label, describedBy, problems.length > 0, readOnly)),
          EditorView.updateListener.of((u) => {
            if (u.docChanged && !u.transactions.some((t) => t.annotation(fromProps)))
              changed.current?.(u.state.doc.toString());
          }),
        ],
      }),
    });
    view.current = v;
    const api: EditorApi = {
      focus: () => v.focus(),
      goToLine: (n) => {
        const line = v.state.doc.line(Math.min(Math.max(1, n), v.state.doc.lines));
        v.dispatch({ selection: { anchor: line.from, head: line.to }, scrollIntoView: true });
        v.focus();
      },
    };
    onEditor?.(api);
    return () => {
      onEditor?.(null);
      v.destroy();
      view.current = null;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- created once; later props arrive through the effects below
  }, []);

  useEffect(() => {
    const v = view.current;
    if (!v || v.state.doc.toString() === value) return;
    v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: value }, annotations: fromProps.of(true) });
  }, [value]);

  useEffect(() => {
    view.current?.dispatch({ effects: compartments.current.theme.reconfigure(themeFor(dark)) });
  }, [dark]);

  useEffect(() => {
    view.current?.dispatch({
      effects: [
        compartments.current.readOnly.reconfigure([
          EditorState.readOnly.of(readOnly),
          EditorView.editable.of(!readOnly),
        ]),
        compartments.current.aria.reconfigure(ariaOf(label, describedBy, problems.length > 0, readOnly)),
      ],
    });
  }, [readOnly, label, describedBy, problems.length]);

  // Problems: a wavy underline and a tinted line where each one is.
  const problemKey = problems.map((p) => `${p.line}:${p.message}`).join("\n");
  useEffect(() => {
    const v = view.current;
    if (!v) return;
    const doc = v.state.doc;
    const diagnostics: Diagnostic[] = problems
      .filter((p) => p.line !== null && p.line >= 1 && p.line <= doc.lines)
      .map((p) => {
        const line = doc.line(p.line!);
        return {
          from: line.from,
          to: line.to,
          severity: "error",
          message: p.message,
          markClass: "tether-problem-mark",
        };
      });
    v.dispatch(setDiagnostics(v.state, diagnostics));
    // eslint-disable-next-line react-hooks/exhaustive-deps -- problemKey stands for problems' content
  }, [problemKey]);

  const height = `${Math.min(Math.max(value.split("\n").length, minLines), maxLines) * 24 + 16}px`;
  return (
    <div
      ref={host}
      className={`overflow-hidden rounded-md border bg-white dark:bg-zinc-950 [&_.cm-editor]:h-full ${problems.length ? "border-red-500" : "border-zinc-300 dark:border-zinc-700"}`}
      style={{ height }}
    />
  );
}

function ariaOf(label: string, describedBy: string | undefined, invalid: boolean, readOnly: boolean) {
  return EditorView.contentAttributes.of({
    "aria-label": label,
    ...(describedBy ? { "aria-describedby": describedBy } : {}),
    ...(invalid ? { "aria-invalid": "true" } : {}),
    ...(readOnly ? { "aria-readonly": "true" } : {}),
  });
}
