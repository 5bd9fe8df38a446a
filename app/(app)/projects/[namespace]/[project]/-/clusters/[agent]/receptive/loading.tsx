// Shown at once when someone opens the tab; the tab then says the same until its data arrives.
import { LoadingState } from "@/components/ui/states";

export default function AgentReceptiveLoading() {
  return <LoadingState label="Loading the receptive configuration…" />;
}
