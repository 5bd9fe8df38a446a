// The sign-up form and the server judge a sign-up with the same schema and name every field at fault.
import { describe, expect, it } from "vitest";
import { signUpFieldErrors, signUpSchema } from "./sign-up-schema";

function problems(input: unknown): Record<string, string> {
  const r = signUpSchema.safeParse(input);
  if (r.success) return {};
  return signUpFieldErrors(r.error);
}

describe("sign-up problems", () => {
  it("names every field at fault at once, one problem each, in the form's order", () => {
    expect(problems({ password: "x".repeat(300), email: "a@b", username: "a", name: "" })).toEqual({
      name: "Enter your name",
      username: "Username must be at least 2 characters",
      email: "Enter a valid e-mail address",
      password: "Password is too long (at most 256 characters)",
    });
    expect(Object.keys(problems({ password: "", email: "", username: "", name: "" }))).toEqual([
      "name",
      "username",
      "email",
      "password",
    ]);
  });

  it("a field with two problems shows the first; a sound sign-up has none", () => {
    expect(problems({ name: "Ada", username: "_", email: "ada@example.com", password: "long enough" })).toEqual({
      username: "Username must be at least 2 characters",
    });
    expect(problems({ name: "Ada", username: "ada", email: "Ada@Example.com ", password: "long enough" })).toEqual({});
  });
});
