// The agent's "Connect with kubectl" tab (a server component): reads what the tab shows on the server,
// then hands it to the interactive part.
import { connectView } from "@/lib/kubectl-access";
import type { CurrentUser } from "@/lib/auth/session";
import { db } from "@/lib/db/client";
import { ConnectKubectl } from "./connect-kubectl";

export async function ConnectSection({ user, agentId }: { user: CurrentUser; agentId: string }) {
  return <ConnectKubectl view={await connectView(db(), user, agentId)} />;
}
