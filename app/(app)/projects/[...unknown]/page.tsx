// Any other path under /projects (a bare namespace, an unknown section or tab): 404 inside the app's
// shell, after sign-in like every project page, rather than the bare 404 Next.js gives unmatched paths.
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { signedInUser } from "@/app/(app)/signed-in-user";

export const metadata: Metadata = { title: "Page not found" };

export default async function UnknownProjectPage(): Promise<never> {
  await signedInUser();
  notFound();
}
