import { LoadingState } from "@/components/ui/states";

export default function ApiHelpLoading() {
  return <LoadingState label="Loading the API reference…" />;
}
