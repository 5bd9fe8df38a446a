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
});
