import type { Metadata } from "next";
import { z } from "zod";
import { SignUpForm } from "@/components/shell/sign-up-form";
import { inviteProblem, signUpPolicy } from "@/lib/auth/sign-up-policy";
import { MIN_PASSWORD_LENGTH } from "@/lib/auth/users";
import { db } from "@/lib/db/client";

export const metadata: Metadata = { title: "Create account" };
// Whether an account exists yet, and the sign-up policy, are read on every visit.
export const dynamic = "force-dynamic";

const query = z.object({ invite: z.string().max(200).optional().catch(undefined) });

export default async function SignUpPage({ searchParams }: { searchParams: Promise<Record<string, unknown>> }) {
  const { invite } = query.parse(await searchParams);
  const [count, policy, problem] = await Promise.all([
    db().user.count(),
    signUpPolicy(db()),
    invite ? inviteProblem(db(), invite) : null,
  ]);
  return (
    <SignUpForm
      minPassword={MIN_PASSWORD_LENGTH}
      firstAccount={count === 0}
      invite={invite}
      inviteProblem={problem}
      mode={policy.mode}
      domains={policy.domains}
    />
  );
}
