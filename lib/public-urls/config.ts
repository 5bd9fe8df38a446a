// The three public addresses of this installation, from the environment, validated with zod: where
// people and `helm repo add` reach web, where agents in clusters dial kas, and where kubectl and CI
// jobs reach kas's k8s-proxy. Unset, each is derived from the local listener, which only works on
// this machine; the warnings say so, and which setting fixes it.
import { z } from "zod";
import { isLoopbackHost } from "./loopback";

type Env = Record<string, string | undefined>;

/** An empty or blank variable counts as unset (shells and compose files often export `X=`). */
const optional = <T extends z.ZodType>(schema: T) =>
  z.preprocess(
    (v) => (typeof v === "string" && v.trim() === "" ? undefined : typeof v === "string" ? v.trim() : v),
    schema.optional(),
  );

const httpUrl = (schemes: string[], example: string) =>
  z.string().refine(
    (v) => {
      try {
        const u = new URL(v);
        return schemes.includes(u.protocol) && u.hostname !== "" && !u.search && !u.hash && !u.username;
      } catch {
        return false;
      }
    },
    `expected a ${schemes.map((s) => `${s}//`).join(" or ")} URL without query or credentials, e.g. ${example}`,
  );

export const publicUrlsSchema = z.object({
  TETHER_PUBLIC_URL: optional(httpUrl(["http:", "https:"], "https://tether.example.com")),
  // The agent's --kas-address: the tunnel is gRPC, over TLS (grpcs) or not (grpc).
  TETHER_KAS_PUBLIC_AGENT_URL: optional(
    z
      .string()
      .regex(
        /^grpcs?:\/\/[\w.-]+:\d+$/,
        "expected grpcs://host:port or grpc://host:port, e.g. grpcs://kas.example.com:443",
      ),
  ),
  // kubectl sends tokens only over TLS.
  TETHER_KAS_K8S_PROXY_PUBLIC_URL: optional(httpUrl(["https:"], "https://kas.example.com:8154")),
});

export type PublicUrlSetting = keyof z.infer<typeof publicUrlsSchema>;

export interface PublicUrl {
  setting: PublicUrlSetting;
  url: string;
  /** Set explicitly; false when derived from the local listener. */
  configured: boolean;
  /** The setting it was derived from when not configured (kas's listener, or NEXTAUTH_URL / PORT for web). */
  derivedFrom: string | null;
  /** The host means "this machine": a cluster or CI runner cannot reach it. */
  loopback: boolean;
}

export interface PublicUrls {
  /** Web: the UI, the REST API, the Helm repository (`<web>/charts`). */
  web: PublicUrl;
  /** kas's agent endpoint, what `--kas-address` / `config.kasAddress` is set to. */
  kasAgent: PublicUrl;
  /** kas's k8s-proxy, the `server` of every kubeconfig. */
  k8sProxy: PublicUrl;
}

/** A wildcard listener is reachable on loopback only as far as we know; the host is not guessed. */
const localHost = (address: string) => address.replace(/^(0\.0\.0\.0|\[::\]|::):/, "127.0.0.1:");

export function urlHost(url: string): string {
  return new URL(url.replace(/^grpcs?:/, "https:")).hostname;
}

function entry(
  setting: PublicUrlSetting,
  configured: string | undefined,
  derived: { url: string; from: string },
): PublicUrl {
  const url = (configured ?? derived.url).replace(/\/+$/, "");
  return {
    setting,
    url,
    configured: configured !== undefined,
    derivedFrom: configured === undefined ? derived.from : null,
    loopback: isLoopbackHost(urlHost(url)),
  };
}

/** Every bad setting at once, one per line, naming the variable. */
export class InvalidPublicUrls extends Error {
  constructor(readonly issues: string[]) {
    super(`invalid public addresses\n${issues.map((i) => `  ${i}`).join("\n")}`);
    this.name = "InvalidPublicUrls";
  }
}

export function publicUrls(env: Env = process.env): PublicUrls {
  const r = publicUrlsSchema.safeParse(env);
  if (!r.success) throw new InvalidPublicUrls(r.error.issues.map((i) => `${i.path.join(".")}: ${i.message}`));
  const s = r.data;
  const nextAuthUrl = env.NEXTAUTH_URL?.trim();
  const web = nextAuthUrl
    ? { url: nextAuthUrl, from: "NEXTAUTH_URL" }
    : { url: `http://localhost:${env.PORT?.trim() || "3000"}`, from: "PORT" };
  const kasTls = Boolean(env.TETHER_KAS_TLS_CERT_FILE?.trim());
  const kasAgent = {
    url: `${kasTls ? "grpcs" : "grpc"}://${localHost(env.TETHER_KAS_AGENT_ADDRESS?.trim() || "127.0.0.1:8150")}`,
    from: "TETHER_KAS_AGENT_ADDRESS",
  };
  const k8sProxy = {
    url: `https://${localHost(env.TETHER_KAS_K8S_PROXY_ADDRESS?.trim() || "127.0.0.1:8154")}`,
    from: "TETHER_KAS_K8S_PROXY_ADDRESS",
  };
  return {
    web: entry("TETHER_PUBLIC_URL", s.TETHER_PUBLIC_URL, web),
    kasAgent: entry("TETHER_KAS_PUBLIC_AGENT_URL", s.TETHER_KAS_PUBLIC_AGENT_URL, kasAgent),
    k8sProxy: entry("TETHER_KAS_K8S_PROXY_PUBLIC_URL", s.TETHER_KAS_K8S_PROXY_PUBLIC_URL, k8sProxy),
  };
}
