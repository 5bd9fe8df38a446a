// The YAML editor's props, kept apart from the editor itself so pages can name them without loading CodeMirror.

/** A problem the page found in the text: its 1-based line (null: none) and what is wrong. */
export interface EditorProblem {
  line: number | null;
  message: string;
}

/** What a page may do with a mounted editor. */
export interface EditorApi {
  focus(): void;
  /** Selects the line, scrolls to it and focuses the editor. */
  goToLine(line: number): void;
}

export interface YamlEditorProps {
  value: string;
  onChange?: (value: string) => void;
  readOnly?: boolean;
  /** The accessible name of the editable text. */
  label: string;
  describedBy?: string;
  problems?: EditorProblem[];
  minLines?: number;
  maxLines?: number;
  onEditor?: (api: EditorApi | null) => void;
}
