import type { Metadata } from "next";
import { SignUpForm } from "@/components/shell/sign-up-form";
import { MIN_PASSWORD_LENGTH } from "@/lib/auth/users";

export const metadata: Metadata = { title: "Create account" };

export default function SignUpPage() {
  return <SignUpForm minPassword={MIN_PASSWORD_LENGTH} />;
}
