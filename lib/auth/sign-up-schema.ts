// What a sign-up must hold, checked with the same zod schema in the browser (every problem shown at once,
// before anything is sent) and on the server (which answers with every problem too). Imports nothing
// but zod, so the sign-up form can load it.
import { z } from "zod";

export const MIN_PASSWORD_LENGTH = 8;
export const MAX_PASSWORD_LENGTH = 256;

export const newPasswordSchema = z
  .string()
  .min(MIN_PASSWORD_LENGTH, `Password must be at least ${MIN_PASSWORD_LENGTH} characters`)
  .max(MAX_PASSWORD_LENGTH, `Password is too long (at most ${MAX_PASSWORD_LENGTH} characters)`);

export const signUpSchema = z.object({
  name: z.string().trim().min(1, "Enter your name").max(100, "Name is too long (at most 100 characters)"),
  username: z
    .string()
    .trim()
    .toLowerCase()
    .min(2, "Username must be at least 2 characters")
    .max(40, "Username is too long (at most 40 characters)")
    .regex(
      /^[a-z0-9][a-z0-9_.-]*$/,
      "Username may contain only letters, digits, '_', '.' and '-', and must start with a letter or digit",
    ),
  email: z
    .string()
    .trim()
    .toLowerCase()
    .max(254, "E-mail address is too long")
    .pipe(z.email("Enter a valid e-mail address")),
  password: newPasswordSchema,
  /** An invite link's token (lib/auth/sign-up-policy.ts), when the person came with one. */
  invite: z.string().trim().max(200, "This invite link is not valid").optional(),
});

export type SignUpInput = z.input<typeof signUpSchema>;

/** Every field the parse found wrong, each with its first problem, in the schema's field order. */
export function signUpFieldErrors(error: z.ZodError): Record<string, string> {
  const out: Record<string, string> = {};
  for (const issue of error.issues) {
    const field = issue.path.length ? String(issue.path[0]) : "";
    if (!(field in out)) out[field] = issue.message;
  }
  const order = Object.keys(signUpSchema.shape) as string[];
  return Object.fromEntries(Object.entries(out).sort(([a], [b]) => order.indexOf(a) - order.indexOf(b)));
}
