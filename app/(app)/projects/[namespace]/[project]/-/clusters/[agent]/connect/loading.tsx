// Shown at once when someone opens the tab, while the server works out who may connect and how (the
// agent's configuration, the user's access).
import { LoadingState } from "@/components/ui/states";

export default function AgentConnectLoading() {
  return <LoadingState label="Loading how to connect…" />;
}
