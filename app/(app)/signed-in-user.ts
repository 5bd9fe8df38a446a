// The signed-in user for the (app) layout and the pages under it, read once per request (React cache):
// the layout and its pages render side by side, and each would otherwise read the session and the user.
import { headers } from "next/headers";
import { cache } from "react";
import { requireUser } from "@/lib/auth/session";
import { PATH_HEADER } from "@/proxy";

/** The user, or a redirect to sign in that comes back to the requested path (with its query). */
export const signedInUser = cache(async () => requireUser((await headers()).get(PATH_HEADER) ?? "/projects"));
