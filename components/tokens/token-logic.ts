// Pure rules the token panels (personal, project, agent) share: the expiry field's check, which server error
// shows beside which field, and where a token was last used from.

/** What a failed create request says: the message, and the field it names when the server names one. */
export interface FormFailure {
  message: string;
  field?: string;
}

/** The message shown beside the field `name`: the server named it, or one of its items ("scopes.0"). */
export function fieldMessage(failure: FormFailure | null, name: string): string | undefined {
  const field = failure?.field;
  return field && (field === name || field.startsWith(`${name}.`)) ? failure.message : undefined;
}

/** The message shown above the form: a failure that names no field. */
export function formMessage(failure: FormFailure | null): string | undefined {
  return failure && !failure.field ? failure.message : undefined;
}

/**
 * The expiry field's text as a whole number of days, or the sentence shown beside it. Only the form is checked
 * here (a number field can still hold "" or "1e3"); the server checks the range and says so itself.
 */
export function parseExpiryDays(raw: string, maxDays: number): { days: number } | { error: string } {
  const days = raw.trim();
  if (!/^\d{1,3}$/.test(days)) return { error: `Enter a whole number of days from 1 to ${maxDays}` };
  return { days: Number(days) };
}

/** "pod tether-agent-0, address 10.0.0.7:4312": where a token was last used from, as far as it is known. */
export function lastUsedFromText(from: { pod: string | null; address: string | null }): string {
  return [from.pod ? `pod ${from.pod}` : null, from.address ? `address ${from.address}` : null]
    .filter(Boolean)
    .join(", ");
}
