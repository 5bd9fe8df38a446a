import { describe, expect, it } from "vitest";
import { addressWarnings, InvalidPublicUrls, isLoopbackHost, publicUrls } from "./index";

const set = {
  TETHER_PUBLIC_URL: "https://tether.example.com/",
  TETHER_KAS_PUBLIC_AGENT_URL: "grpcs://kas.example.com:443",
  TETHER_KAS_K8S_PROXY_PUBLIC_URL: "https://kas.example.com:8154",
};

describe("public addresses", () => {
  it("are the three settings when set, without a trailing slash, not loopback", () => {
    const u = publicUrls({ ...set, NEXTAUTH_URL: "http://localhost:3000", TETHER_KAS_AGENT_ADDRESS: "0.0.0.0:8150" });
    expect(u.web).toEqual({
      setting: "TETHER_PUBLIC_URL",
      url: "https://tether.example.com",
      configured: true,
      derivedFrom: null,
      loopback: false,
    });
    expect(u.kasAgent).toEqual({
      setting: "TETHER_KAS_PUBLIC_AGENT_URL",
      url: "grpcs://kas.example.com:443",
      configured: true,
      derivedFrom: null,
      loopback: false,
    });
    expect(u.k8sProxy).toEqual({
      setting: "TETHER_KAS_K8S_PROXY_PUBLIC_URL",
      url: "https://kas.example.com:8154",
      configured: true,
      derivedFrom: null,
      loopback: false,
    });
  });

  it("unset or blank, are derived from the local listeners, on loopback for a wildcard listener", () => {
    const u = publicUrls({
      TETHER_PUBLIC_URL: " ",
      PORT: "3100",
      TETHER_KAS_AGENT_ADDRESS: "0.0.0.0:8150",
      TETHER_KAS_K8S_PROXY_ADDRESS: "[::]:8154",
    });
    expect(u.web).toMatchObject({
      url: "http://localhost:3100",
      configured: false,
      derivedFrom: "PORT",
      loopback: true,
    });
    expect(u.kasAgent).toMatchObject({
      url: "grpc://127.0.0.1:8150",
      configured: false,
      derivedFrom: "TETHER_KAS_AGENT_ADDRESS",
      loopback: true,
    });
    expect(u.k8sProxy).toMatchObject({
      url: "https://127.0.0.1:8154",
      configured: false,
      derivedFrom: "TETHER_KAS_K8S_PROXY_ADDRESS",
      loopback: true,
    });
    expect(publicUrls({ NEXTAUTH_URL: "https://tether.internal/" }).web).toMatchObject({
      url: "https://tether.internal",
      derivedFrom: "NEXTAUTH_URL",
      loopback: false,
    });
  });

  it("refuses every bad setting at once, naming each variable and what is expected", () => {
    let err: unknown;
    try {
      publicUrls({
        TETHER_PUBLIC_URL: "tether.example.com",
        TETHER_KAS_PUBLIC_AGENT_URL: "wss://kas.example.com",
        TETHER_KAS_K8S_PROXY_PUBLIC_URL: "http://kas.example.com:8154",
      });
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(InvalidPublicUrls);
    expect((err as InvalidPublicUrls).issues).toEqual([
      "TETHER_PUBLIC_URL: expected a http:// or https:// URL without query or credentials, e.g. https://tether.example.com",
      "TETHER_KAS_PUBLIC_AGENT_URL: expected grpcs://host:port or grpc://host:port, e.g. grpcs://kas.example.com:443",
      "TETHER_KAS_K8S_PROXY_PUBLIC_URL: expected a https:// URL without query or credentials, e.g. https://kas.example.com:8154",
    ]);
    expect(() => publicUrls({ TETHER_PUBLIC_URL: "https://user:pw@tether.example.com" })).toThrow(/TETHER_PUBLIC_URL/);
  });

  it("know loopback hosts: localhost, 127/8, ::1 and the wildcard addresses", () => {
    for (const h of [
      "localhost",
      "LOCALHOST.",
      "tether.localhost",
      "127.0.0.1",
      "127.1.2.3",
      "[::1]",
      "::1",
      "0.0.0.0",
      "::",
    ])
      expect(isLoopbackHost(h), h).toBe(true);
    for (const h of ["tether.example.com", "10.0.0.1", "192.168.1.5", "[fd00::1]", "localhost.example.com"])
      expect(isLoopbackHost(h), h).toBe(false);
  });
});

describe("address warnings", () => {
  it("say what will not work with a loopback address and which setting fixes it, per place", () => {
    const u = publicUrls({});
    const install = addressWarnings(u, "agent-install");
    expect(install.map((w) => [w.setting, w.severity])).toEqual([
      ["TETHER_KAS_PUBLIC_AGENT_URL", "unreachable"],
      ["TETHER_PUBLIC_URL", "unreachable"],
    ]);
    expect(install[0]!.text).toBe(
      "An agent in a cluster cannot reach grpc://127.0.0.1:8150: inside a pod, 127.0.0.1 is the pod itself, so the agent installed with these values never connects. Set TETHER_KAS_PUBLIC_AGENT_URL to the address they can reach (for example grpcs://kas.example.com:443) and restart Tether.",
    );
    expect(install[1]!.text).toContain(
      "On another computer, helm repo add cannot reach http://localhost:3000/charts: there, localhost is that computer itself.",
    );
    expect(addressWarnings(u, "kubeconfig").map((w) => w.text)).toEqual([
      "This kubeconfig works only on the machine that runs Tether: on any other computer, 127.0.0.1 in https://127.0.0.1:8154 is that computer itself. Set TETHER_KAS_K8S_PROXY_PUBLIC_URL to the address they can reach (for example https://kas.example.com:8154) and restart Tether.",
    ]);
    expect(addressWarnings(u, "ci").map((w) => w.setting)).toEqual([
      "TETHER_PUBLIC_URL",
      "TETHER_KAS_K8S_PROXY_PUBLIC_URL",
    ]);
    expect(addressWarnings(u, "ci")[1]!.text).toContain(
      "A CI job cannot reach the k8s-proxy at https://127.0.0.1:8154: on a runner, 127.0.0.1 is the runner itself.",
    );
  });

  it("are a milder note for an address derived from a non-loopback listener, and none once set", () => {
    const derived = addressWarnings(
      publicUrls({ NEXTAUTH_URL: "https://tether.internal", TETHER_KAS_AGENT_ADDRESS: "10.0.0.5:8150" }),
      "agent-install",
    );
    expect(derived.map((w) => w.severity)).toEqual(["derived", "derived"]);
    expect(derived[0]!.text).toBe(
      "grpc://10.0.0.5:8150 is derived from TETHER_KAS_AGENT_ADDRESS; if it is reached by another address from outside, set TETHER_KAS_PUBLIC_AGENT_URL (for example grpcs://kas.example.com:443) and restart Tether.",
    );
    for (const surface of ["agent-install", "kubeconfig", "ci"] as const)
      expect(addressWarnings(publicUrls(set), surface)).toEqual([]);
  });
});
