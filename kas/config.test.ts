import { describe, expect, it } from "vitest";
import { loadKasConfig } from "./config";

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
});
