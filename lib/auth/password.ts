// Password hashing with argon2id (OWASP's recommended parameters are the library defaults). Each hash
// costs tens of milliseconds of CPU and ~19 MiB, so at most one per core runs at a time and only a short
// queue may wait: a flood of sign-ins is answered "busy" instead of taking the whole machine.
import { availableParallelism } from "node:os";
import { hash, verify } from "@node-rs/argon2";
import pLimit from "p-limit";

export const MAX_CONCURRENT_HASHES = Math.max(1, availableParallelism());
export const MAX_QUEUED_HASHES = 16 * MAX_CONCURRENT_HASHES;

/** Too many password checks are running or waiting; the caller should say "try again in a few seconds". */
export class PasswordHashingBusy extends Error {
  constructor() {
    super("Too many sign-ins are being checked right now; try again in a few seconds");
  }
}

const hashing = pLimit(MAX_CONCURRENT_HASHES);

function limited<T>(work: () => Promise<T>): Promise<T> {
  if (hashing.pendingCount >= MAX_QUEUED_HASHES) return Promise.reject(new PasswordHashingBusy());
  return hashing(work);
}

export function hashPassword(password: string): Promise<string> {
  return limited(() => hash(password));
}

export async function verifyPassword(passwordHash: string | null, password: string): Promise<boolean> {
  if (!passwordHash) return false;
  try {
    return await limited(() => verify(passwordHash, password));
  } catch (e) {
    if (e instanceof PasswordHashingBusy) throw e;
    return false;
  }
}
