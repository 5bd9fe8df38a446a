import { describe, expect, it } from "vitest";
import { loadAgentConfig } from "./config";

describe("loadAgentConfig", () => {
  it("reads flags, with environment fallbacks", () => {
    const c = loadAgentConfig(["--kas-address=grpcs://kas.example.com:443", "--token-file=/t"], {
      POD_NAME: "agent-0",
    });
    expect(c).toMatchObject({
      kasAddress: "grpcs://kas.example.com:443",
      tokenFile: "/t",
      podName: "agent-0",
      minIdleStreams: 10,
      maxStreams: 500,
      apiserverHttp2: true,
    });
    expect(
      loadAgentConfig(["--kas-address=grpc://kas:1", "--token-file=/t", "--apiserver-http2=false"], {}).apiserverHttp2,
    ).toBe(false);
  });
  it("says what is missing or malformed", () => {
    expect(() => loadAgentConfig([], {})).toThrow(/--kas-address/);
    expect(() => loadAgentConfig(["--kas-address=http://kas:80", "--token-file=/t"], {})).toThrow(
      /grpc:\/\/host:port or grpcs:\/\/host:port/,
    );
    expect(() => loadAgentConfig(["--bogus=1"], {})).toThrow(/bogus/);
    expect(() =>
      loadAgentConfig(["--kas-address=grpc://kas:1", "--token-file=/t", "--apiserver-http2=maybe"], {}),
    ).toThrow(/--apiserver-http2 must be true or false/);
  });
  it("a receptive agent needs no kas address but its TLS files and a way to authenticate kas", () => {
    const c = loadAgentConfig(
      ["--receptive", "--token-file=/t", "--receptive-cert-file=/c", "--receptive-key-file=/k"],
      { TETHER_AGENT_RECEPTIVE_JWT_PUBLIC_KEY_FILE: "/pub" },
    );
    expect(c.receptive).toBe(true);
    expect(c.kasAddress).toBeUndefined();
    expect(c.receptiveAddress).toBe("0.0.0.0:8082");
    expect(c.receptiveJwtPublicKeyFile).toBe("/pub");
    expect(() => loadAgentConfig(["--receptive", "--token-file=/t"], {})).toThrow(
      /--receptive-cert-file and --receptive-key-file[\s\S]*--receptive-jwt-public-key-file/,
    );
    expect(
      loadAgentConfig([], {
        TETHER_AGENT_RECEPTIVE: "true",
        TETHER_AGENT_TOKEN_FILE: "/t",
        TETHER_AGENT_RECEPTIVE_CERT_FILE: "/c",
        TETHER_AGENT_RECEPTIVE_KEY_FILE: "/k",
        TETHER_AGENT_RECEPTIVE_CLIENT_CA_FILE: "/ca",
      }).receptive,
    ).toBe(true);
  });
});
