import { describe, expect, it } from "vitest";
import { loadKasConfig, privateAddressOf } from "./config";

describe("loadKasConfig", () => {
  it("has production defaults: 2 h connection age, 1 h grace, 500 streams per agent", () => {
    const c = loadKasConfig({ TETHER_KAS_SHARED_SECRET_FILE: "/s" });
    expect(c).toMatchObject({
      TETHER_KAS_MAX_CONNECTION_AGE_MS: 7_200_000,
      TETHER_KAS_MAX_CONNECTION_AGE_GRACE_MS: 3_600_000,
      TETHER_KAS_MAX_STREAMS_PER_AGENT: 500,
      TETHER_KAS_AGENT_ADDRESS: "127.0.0.1:8150",
    });
  });
  it("names each bad setting", () => {
    expect(() => loadKasConfig({})).toThrow(/TETHER_KAS_SHARED_SECRET_FILE/);
    expect(() => loadKasConfig({ TETHER_KAS_SHARED_SECRET_FILE: "/s", TETHER_KAS_AGENT_ADDRESS: "nope" })).toThrow(
      /TETHER_KAS_AGENT_ADDRESS: expected host:port/,
    );
    expect(() => loadKasConfig({ TETHER_KAS_SHARED_SECRET_FILE: "/s", TETHER_KAS_TLS_CERT_FILE: "/c" })).toThrow(
      /both TETHER_KAS_TLS_CERT_FILE and TETHER_KAS_TLS_KEY_FILE/,
    );
  });
  it("several replicas: Redis needs the peer secret, and addresses are checked", () => {
    const base = { TETHER_KAS_SHARED_SECRET_FILE: "/s" };
    expect(loadKasConfig(base).TETHER_REDIS_URL).toBeUndefined();
    expect(() => loadKasConfig({ ...base, TETHER_REDIS_URL: "redis://127.0.0.1:6379" })).toThrow(
      /set TETHER_KAS_PEER_SECRET_FILE/,
    );
    expect(() => loadKasConfig({ ...base, TETHER_REDIS_URL: "http://127.0.0.1:6379" })).toThrow(
      /TETHER_REDIS_URL: expected a redis:\/\/ or rediss:\/\/ URL/,
    );
    expect(() => loadKasConfig({ ...base, TETHER_KAS_PRIVATE_ADDRESS: "kas-0" })).toThrow(
      /TETHER_KAS_PRIVATE_ADDRESS: expected host:port/,
    );
    const c = loadKasConfig({
      ...base,
      TETHER_REDIS_URL: "redis://redis:6379/2",
      TETHER_KAS_PEER_SECRET_FILE: "/p",
      TETHER_KAS_PRIVATE_ADDRESS: "kas-0.kas:8153",
    });
    expect(c).toMatchObject({ TETHER_KAS_REGISTRY_TTL_MS: 30_000, TETHER_KAS_PRIVATE_ADDRESS: "kas-0.kas:8153" });
  });

  it("IPv6: listens on [::] and bracketed hosts, and joins an IPv6 pod IP with its port in brackets", () => {
    const base = { TETHER_KAS_SHARED_SECRET_FILE: "/s" };
    const v6 = loadKasConfig({
      ...base,
      TETHER_KAS_AGENT_ADDRESS: "[::]:8150",
      TETHER_KAS_INTERNAL_ADDRESS: "[::]:8153",
      TETHER_KAS_POD_IP: "fd00:10:244::5",
    });
    expect(v6.TETHER_KAS_AGENT_ADDRESS).toBe("[::]:8150");
    expect(privateAddressOf(v6, 8153)).toBe("[fd00:10:244::5]:8153");
    const v4 = loadKasConfig({ ...base, TETHER_KAS_INTERNAL_ADDRESS: "[::]:8153", TETHER_KAS_POD_IP: "10.244.0.5" });
    expect(privateAddressOf(v4, 8153)).toBe("10.244.0.5:8153");
    // An explicit private address wins; a bracketed one is accepted as it is.
    const explicit = loadKasConfig({
      ...base,
      TETHER_KAS_PRIVATE_ADDRESS: "[fd00::1]:8153",
      TETHER_KAS_POD_IP: "10.0.0.1",
    });
    expect(privateAddressOf(explicit, 8153)).toBe("[fd00::1]:8153");
    // Without a pod IP: the internal address's own host, bracketed when it is IPv6.
    expect(privateAddressOf(loadKasConfig({ ...base, TETHER_KAS_INTERNAL_ADDRESS: "[::1]:0" }), 40123)).toBe(
      "[::1]:40123",
    );
    // An unbracketed IPv6 host:port is ambiguous, and a pod IP must be an address.
    expect(() => loadKasConfig({ ...base, TETHER_KAS_PRIVATE_ADDRESS: "fd00::1:8153" })).toThrow(
      /TETHER_KAS_PRIVATE_ADDRESS: expected host:port \(an IPv6 host in brackets/,
    );
    expect(() => loadKasConfig({ ...base, TETHER_KAS_POD_IP: "kas-0" })).toThrow(
      /TETHER_KAS_POD_IP: expected an IPv4 or IPv6 address/,
    );
  });
});
