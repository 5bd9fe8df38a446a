// Counted nouns in English ("1 node", "3 nodes", "0 keys"): the plural rules decide, not `n === 1` sprinkled through pages.

const rules = new Intl.PluralRules("en-US");

/** "1 node", "2 nodes"; `other` defaults to `one` + "s" for the regular nouns most callers count. */
export function plural(count: number, one: string, other = `${one}s`): string {
  return `${count} ${rules.select(count) === "one" ? one : other}`;
}
