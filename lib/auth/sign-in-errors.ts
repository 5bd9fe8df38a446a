// What the sign-in form says for each way a password sign-in can fail. next-auth passes a thrown
// error's message to the browser as the error code, so a lock travels as "SignInLocked:<epoch ms>"
// and the form words it in the reader's own clock. Shared by server and browser: imports nothing.

const LOCKED = "SignInLocked";
export const SIGN_IN_BUSY = "SignInBusy";
export const ACCOUNT_BLOCKED = "AccountBlocked";
export const ACCOUNT_PENDING = "AccountPending";
export const SIGN_UP_REFUSED = "SignUpRefused";

export function lockedErrorCode(retryAt: Date): string {
  return `${LOCKED}:${retryAt.getTime()}`;
}

function inWords(ms: number): string {
  const seconds = Math.max(1, Math.ceil(ms / 1000));
  if (seconds < 60) return `${seconds} second${seconds === 1 ? "" : "s"}`;
  const minutes = Math.ceil(seconds / 60);
  return `${minutes} minute${minutes === 1 ? "" : "s"}`;
}

/** The sentence for a failed sign-in; `code` is next-auth's error ("CredentialsSignin", a lock, …). */
export function signInErrorMessage(code: string | null | undefined, now: Date = new Date(), timeZone?: string): string {
  if (!code || code === "CredentialsSignin") return "Invalid e-mail or password.";
  if (code === ACCOUNT_BLOCKED) return "This account is blocked. Ask an administrator of this installation.";
  if (code === ACCOUNT_PENDING)
    return "Your account is waiting for an administrator's approval. Sign in again once it is approved.";
  if (code === SIGN_UP_REFUSED)
    return "Sign-up with this account is not open on this installation. Ask an administrator for an invite link.";
  if (code === SIGN_IN_BUSY) return "Too many sign-ins are being checked right now. Try again in a few seconds.";
  const locked = new RegExp(`^${LOCKED}:(\\d{1,15})$`).exec(code);
  if (locked) {
    const at = new Date(Number(locked[1]));
    const clock = at.toLocaleTimeString("en-GB", { hour: "2-digit", minute: "2-digit", second: "2-digit", timeZone });
    return `Too many failed sign-in attempts. Try again in ${inWords(at.getTime() - now.getTime())} (at ${clock}).`;
  }
  return "Sign-in failed. Try again.";
}
