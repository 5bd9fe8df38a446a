// PUT /api/admin/sign-up {mode, domains?}: an administrator sets who may create an account. Anyone else:
// not found.
import { clientAddress } from "@/lib/auth/sign-in";
import { setSignUpPolicy } from "@/lib/auth/sign-up-policy";
import { db } from "@/lib/db/client";
import { readJsonBody, withSession } from "@/lib/api-auth";

export const PUT = withSession(async (user, req) => {
  const policy = await setSignUpPolicy(db(), user, await readJsonBody(req, 8 * 1024), clientAddress(req.headers));
  return Response.json({ policy });
});
