"use client";
// The kind picker: a combobox (WAI-ARIA 1.2, downshift's useCombobox) over the Overview, the built-in kinds
// and the cluster's discovered ones, in sections; typing narrows by kind, plural, kubectl's short names
// (deploy, svc, cm) and API group. Arrow keys move, Enter or Tab picks, Escape closes and puts back the
// kind shown; clicking elsewhere changes nothing. Picking navigates as the old select did.
import { useCombobox } from "downshift";
import { useEffect, useMemo, useState } from "react";
import { plural } from "@/components/ui/plural";
import { filterKinds, kindOptions, type KindOption } from "./kind-search";
import type { Kind } from "./kinds";
import { KINDS } from "./kinds";

const toLabel = (o: KindOption | null) => o?.label ?? "";

/**
 * A new kind is a new view, and the view brings its own picker: the one that picked sets this, and the
 * next one to mount takes the focus, so a keyboard user stays in the field.
 */
let focusNextPicker = false;
/** The one picker a page has. */
const INPUT_ID = "kind-picker-input";

export function KindPicker({
  value,
  onPick,
  discovered,
  discovery,
  onWanted,
}: {
  /** The `kind=` shown now. */
  value: string;
  onPick: (key: string) => void;
  discovered: Kind[];
  /** Where asking the cluster for its other kinds stands. */
  discovery: "loading" | "ready" | "error";
  /** The picker was focused or opened: the page may ask the cluster for its other kinds now. */
  onWanted: () => void;
}) {
  const all = useMemo(() => kindOptions(KINDS, discovered), [discovered]);
  // A kind not (yet) among the options, e.g. a custom resource's link before discovery answers, shows its key.
  const selected = useMemo<KindOption>(
    () =>
      all.find((o) => o.key === value) ?? {
        key: value,
        label: value,
        section: "Custom resources",
        shortNames: [],
        terms: [],
      },
    [all, value],
  );
  // What was typed; cleared whenever the field shows the chosen kind again (picked, Escape, left).
  const [query, setQuery] = useState("");
  useEffect(() => {
    if (!focusNextPicker) return;
    focusNextPicker = false;
    document.getElementById(INPUT_ID)?.focus();
  }, []);
  const sections = useMemo(() => filterKinds(all, query), [all, query]);
  const items = useMemo(() => sections.flatMap((s) => s.options), [sections]);

  const { isOpen, highlightedIndex, getLabelProps, getInputProps, getMenuProps, getItemProps, getToggleButtonProps } =
    useCombobox<KindOption>({
      items,
      // Fixed ids: a new view mounts a new picker, and links to its list (aria-controls) stay the same.
      inputId: INPUT_ID,
      labelId: "kind-picker-label",
      menuId: "kind-picker-menu",
      toggleButtonId: "kind-picker-toggle",
      getItemId: (i) => `kind-picker-option-${i}`,
      selectedItem: selected,
      itemToString: toLabel,
      itemToKey: (o) => o?.key,
      onInputValueChange: ({ type, inputValue }) =>
        setQuery(type === useCombobox.stateChangeTypes.InputChange ? inputValue : ""),
      onSelectedItemChange: ({ selectedItem }) => {
        if (!selectedItem || selectedItem.key === value) return;
        focusNextPicker = document.activeElement?.id === INPUT_ID;
        onPick(selectedItem.key);
      },
      onIsOpenChange: ({ isOpen }) => {
        if (isOpen) onWanted();
      },
      stateReducer: (state, { type, changes }) => {
        const t = useCombobox.stateChangeTypes;
        switch (type) {
          // The best match leads the filtered list: Enter takes it.
          case t.InputChange:
            return { ...changes, highlightedIndex: changes.inputValue?.trim() ? 0 : -1 };
          // Escape closes and puts the chosen kind back (never clears it, as downshift would on a second Escape).
          case t.InputKeyDownEscape:
            return { ...changes, selectedItem: state.selectedItem, inputValue: toLabel(state.selectedItem) };
          // Leaving without picking (a click elsewhere) shows the chosen kind again, not the half-typed text.
          case t.InputBlur:
            return changes.selectedItem && changes.selectedItem !== state.selectedItem
              ? changes
              : { ...changes, inputValue: toLabel(state.selectedItem) };
          default:
            return changes;
        }
      },
    });

  let index = 0;
  return (
    <div className="relative min-w-0 max-w-full text-sm">
      <label {...getLabelProps()} className="block text-zinc-600 dark:text-zinc-400">
        Kind
      </label>
      <div className="flex max-w-full items-stretch">
        <input
          {...getInputProps({
            // Clicking the field showing a kind selects its text, so typing replaces it.
            onClick: (e) => {
              if (e.currentTarget.value === selected.label) e.currentTarget.select();
            },
            onFocus: (e) => {
              onWanted();
              e.currentTarget.select();
            },
          })}
          placeholder="Kind, e.g. deploy"
          spellCheck={false}
          autoCapitalize="off"
          autoComplete="off"
          className="mt-1 w-56 min-w-0 max-w-full rounded-l-md border border-zinc-300 bg-white px-2 py-1.5 dark:border-zinc-700 dark:bg-zinc-900"
        />
        <button
          type="button"
          {...getToggleButtonProps({ "aria-label": "Show all kinds" })}
          className="mt-1 rounded-r-md border border-l-0 border-zinc-300 bg-white px-2 text-zinc-500 hover:bg-zinc-50 dark:border-zinc-700 dark:bg-zinc-900 dark:hover:bg-zinc-800"
        >
          <span aria-hidden>{isOpen ? "▴" : "▾"}</span>
        </button>
      </div>
      <ul
        {...getMenuProps({ "aria-label": "Kinds" })}
        className={`absolute left-0 top-full z-30 mt-1 max-h-80 w-72 max-w-[calc(100vw-2rem)] overflow-auto rounded-md border border-zinc-200 bg-white py-1 shadow-lg dark:border-zinc-800 dark:bg-zinc-950 ${isOpen ? "" : "hidden"}`}
      >
        {isOpen
          ? sections.map((s) => {
              const id = `kind-section-${s.section.replace(/\W+/g, "-").toLowerCase()}`;
              return (
                <li key={s.section} role="presentation">
                  <div id={id} className="px-3 pb-0.5 pt-2 text-xs font-semibold uppercase tracking-wide text-zinc-500">
                    {s.section}
                  </div>
                  <ul role="group" aria-labelledby={id}>
                    {s.options.map((o) => {
                      const i = index++;
                      return (
                        <li
                          key={o.key}
                          {...getItemProps({ item: o, index: i })}
                          data-current={o.key === value ? "" : undefined}
                          className={`flex cursor-pointer items-baseline gap-2 px-3 py-1.5 ${i === highlightedIndex ? "bg-indigo-50 dark:bg-indigo-950" : ""}`}
                        >
                          <span className="min-w-0 flex-1 truncate">{o.label}</span>
                          {o.shortNames.length ? (
                            <span aria-hidden className="shrink-0 font-mono text-xs text-zinc-500">
                              {o.shortNames.join(", ")}
                            </span>
                          ) : null}
                          {o.key === value ? (
                            <span aria-hidden className="shrink-0 text-indigo-600 dark:text-indigo-400">
                              ✓
                            </span>
                          ) : null}
                        </li>
                      );
                    })}
                  </ul>
                </li>
              );
            })
          : null}
        {isOpen && items.length === 0 ? (
          <li role="presentation" className="px-3 py-2 text-zinc-500">
            No kind matches &ldquo;{query.trim()}&rdquo;
            {discovery === "loading" ? " yet (still asking the cluster for its other kinds)" : ""}.
          </li>
        ) : null}
        {isOpen && discovery !== "ready" ? (
          <li role="presentation" className="px-3 pb-1 pt-2 text-xs text-zinc-500">
            {discovery === "loading"
              ? "Asking the cluster for its other kinds…"
              : "The cluster's other kinds could not be listed."}
          </li>
        ) : null}
      </ul>
      <div aria-live="polite" className="sr-only">
        {isOpen && query.trim()
          ? items.length === 1
            ? "1 kind matches"
            : items.length
              ? `${plural(items.length, "kind")} match`
              : "No kind matches"
          : ""}
      </div>
    </div>
  );
}
