// Shown at once when someone opens the tab; the tab then says the same until its data arrives.
import { LoadingState } from "@/components/ui/states";

export default function AgentGitOpsLoading() {
  return <LoadingState label="Looking for Flux in the cluster…" />;
}
