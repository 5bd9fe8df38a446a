// What will not work with the public addresses as they are, said where the address is printed: the
// agent install commands, the kubeconfig, the CI lines. Each warning names the setting that fixes it.
import { urlHost, type PublicUrl, type PublicUrlSetting, type PublicUrls } from "./config";

/** Where an address is shown; each place warns about the addresses its commands use. */
export type AddressSurface = "agent-install" | "kubeconfig" | "ci";

export interface AddressWarning {
  setting: PublicUrlSetting;
  url: string;
  /** unreachable: a loopback host, which cannot work from a cluster, another computer or a runner; derived: not set, guessed from a listener. */
  severity: "unreachable" | "derived";
  text: string;
}

const EXAMPLE: Record<PublicUrlSetting, string> = {
  TETHER_PUBLIC_URL: "https://tether.example.com",
  TETHER_KAS_PUBLIC_AGENT_URL: "grpcs://kas.example.com:443",
  TETHER_KAS_K8S_PROXY_PUBLIC_URL: "https://kas.example.com:8154",
};

/** Who would fail to reach the address, and what they would fail to do, per surface. */
function consequence(surface: AddressSurface, which: keyof PublicUrls, u: PublicUrl): string {
  const host = urlHost(u.url);
  if (which === "kasAgent")
    return `An agent in a cluster cannot reach ${u.url}: inside a pod, ${host} is the pod itself, so the agent installed with these values never connects.`;
  if (which === "web" && surface === "agent-install")
    return `On another computer, helm repo add cannot reach ${u.url}/charts: there, ${host} is that computer itself.`;
  if (which === "web") return `A CI job cannot mint its token at ${u.url}: on a runner, ${host} is the runner itself.`;
  if (surface === "ci")
    return `A CI job cannot reach the k8s-proxy at ${u.url}: on a runner, ${host} is the runner itself.`;
  return `This kubeconfig works only on the machine that runs Tether: on any other computer, ${host} in ${u.url} is that computer itself.`;
}

const USED: Record<AddressSurface, (keyof PublicUrls)[]> = {
  "agent-install": ["kasAgent", "web"],
  kubeconfig: ["k8sProxy"],
  ci: ["web", "k8sProxy"],
};

export function addressWarnings(urls: PublicUrls, surface: AddressSurface): AddressWarning[] {
  const out: AddressWarning[] = [];
  for (const which of USED[surface]) {
    const u = urls[which];
    if (u.loopback) {
      out.push({
        setting: u.setting,
        url: u.url,
        severity: "unreachable",
        text: `${consequence(surface, which, u)} Set ${u.setting} to the address they can reach (for example ${EXAMPLE[u.setting]}) and restart Tether.`,
      });
    } else if (!u.configured) {
      out.push({
        setting: u.setting,
        url: u.url,
        severity: "derived",
        text: `${u.url} is derived from ${u.derivedFrom}; if it is reached by another address from outside, set ${u.setting} (for example ${EXAMPLE[u.setting]}) and restart Tether.`,
      });
    }
  }
  return out;
}
