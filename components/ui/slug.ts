import { useState, type ChangeEvent } from "react";
// A group or project path suggested from its name, as GitLab does while you type: lower case, runs of
// anything but letters, digits, '_', '.' and '-' become one '-', no separator at either end, at most
// PATH_MAX characters. The server validates the path whatever the browser sends.
export const PATH_MIN = 2;
export const PATH_MAX = 60;
export const PATH_HINT = `${PATH_MIN} to ${PATH_MAX} characters: lower-case letters, digits, '_', '-' and '.', starting and ending with a letter or digit.`;

export function slugFromName(name: string): string {
  return name
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^a-z0-9_.-]+/g, "-")
    .replace(/^[_.-]+/, "")
    .slice(0, PATH_MAX)
    .replace(/[_.-]+$/, "");
}

/** Name and path fields where the path follows the name until the user edits the path themselves. */
export function useSlugFields() {
  const [name, setName] = useState("");
  const [path, setPath] = useState<string | null>(null);
  return {
    name: { value: name, onChange: (e: ChangeEvent<HTMLInputElement>) => setName(e.target.value) },
    path: {
      value: path ?? slugFromName(name),
      onChange: (e: ChangeEvent<HTMLInputElement>) => setPath(e.target.value),
      maxLength: PATH_MAX,
    },
  };
}
