import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { KAS_VERSION } from "@/lib/common/release";
import { fillManifest, installInstructions, kasPublicAddress, manifestTemplatePath } from "./install";

const token = "tthr_agent_" + "A".repeat(43);

describe("kas address shown to users", () => {
  it("is TETHER_KAS_PUBLIC_AGENT_URL, else grpc:// (grpcs:// with kas's TLS) and kas's agent listener, else the default", () => {
    expect(
      kasPublicAddress({
        TETHER_KAS_PUBLIC_AGENT_URL: "grpcs://kas.example.com:443",
        TETHER_KAS_AGENT_ADDRESS: "0.0.0.0:8150",
      }),
    ).toBe("grpcs://kas.example.com:443");
    expect(kasPublicAddress({ TETHER_KAS_AGENT_ADDRESS: "127.0.0.1:8160" })).toBe("grpc://127.0.0.1:8160");
    expect(
      kasPublicAddress({ TETHER_KAS_AGENT_ADDRESS: "10.0.0.5:8150", TETHER_KAS_TLS_CERT_FILE: "/etc/kas.crt" }),
    ).toBe("grpcs://10.0.0.5:8150");
    expect(kasPublicAddress({ TETHER_KAS_PUBLIC_AGENT_URL: "  " })).toBe("grpc://127.0.0.1:8150");
    expect(kasPublicAddress({})).toBe("grpc://127.0.0.1:8150");
  });
});

describe("manifest", () => {
  const template = fs.readFileSync(manifestTemplatePath(), "utf8");
  it("the template still has both placeholders in its YAML", () => {
    const yaml = template
      .split("\n")
      .filter((l) => !l.trimStart().startsWith("#"))
      .join("\n");
    expect(yaml).toContain("KAS_ADDRESS");
    expect(yaml).toContain("AGENT_TOKEN");
  });
  it("fills both placeholders and leaves none behind", () => {
    const m = fillManifest(template, "prod-eu", "grpc://10.0.0.1:8150", token);
    expect(m).not.toMatch(/KAS_ADDRESS|AGENT_TOKEN/);
    expect(m).toContain(`token: "${token}"`);
    expect(m).toContain("--kas-address=grpc://10.0.0.1:8150");
    expect(m.split("\n")[0]).toContain('Tether agent "prod-eu"');
  });
  it("the receptive manifest: the token filled in, no kas address, and the public key in place when known", () => {
    const receptive = fs.readFileSync(manifestTemplatePath(true), "utf8");
    const m = fillManifest(receptive, "prod-eu", "grpc://10.0.0.1:8150", token);
    expect(m).toContain(`token: "${token}"`);
    expect(m).not.toMatch(/KAS_ADDRESS|AGENT_TOKEN|--kas-address/);
    expect(m).toContain("\n    JWT_PUBLIC_KEY\n");
    expect(m).toContain("replace JWT_PUBLIC_KEY with the public key from the agent's Receptive tab");
    expect(m).toContain("--receptive-jwt-public-key-file=/etc/tether-agent/receptive/jwt-public-key.pem");
    const key =
      "-----BEGIN PUBLIC KEY-----\nMCowBQYDK2VwAyEAcFZPbcl4KjEL6ZUlAPrPO5lB7L6cC0PjCyX7uDBBDq8=\n-----END PUBLIC KEY-----\n";
    const withKey = fillManifest(receptive, "prod-eu", "grpc://10.0.0.1:8150", token, key);
    expect(withKey).not.toContain("JWT_PUBLIC_KEY");
    expect(withKey).toContain(
      "  jwt-public-key.pem: |\n    -----BEGIN PUBLIC KEY-----\n    MCowBQYDK2VwAyEAcFZPbcl4KjEL6ZUlAPrPO5lB7L6cC0PjCyX7uDBBDq8=\n    -----END PUBLIC KEY-----\n",
    );
  });
  it("installInstructions puts it together for this installation", async () => {
    const i = await installInstructions("prod-eu", token, { TETHER_KAS_AGENT_ADDRESS: "127.0.0.1:8160" });
    expect(i.kasAddress).toBe("grpc://127.0.0.1:8160");
    expect(i.helm).toContain("config.kasAddress=grpc://127.0.0.1:8160");
    expect(i.manifest).toContain("--kas-address=grpc://127.0.0.1:8160");
    expect(i.receptiveManifest).toContain(`token: "${token}"`);
    expect(i.receptiveManifest).toContain("- --receptive");
    expect(i.warnings.map((w) => w.setting)).toEqual(["TETHER_KAS_PUBLIC_AGENT_URL", "TETHER_PUBLIC_URL"]);
  });
  it("with public addresses set, every command uses them and there is no warning", async () => {
    const i = await installInstructions("prod-eu", token, {
      TETHER_PUBLIC_URL: "https://tether.example.com",
      TETHER_KAS_PUBLIC_AGENT_URL: "grpcs://kas.example.com:443",
    });
    expect(i.params).toEqual({
      agentName: "prod-eu",
      kasAddress: "grpcs://kas.example.com:443",
      chartRepoUrl: "https://tether.example.com/charts",
      chartVersion: KAS_VERSION,
      token,
    });
    expect(i.repoAdd).toBe("helm repo add tether https://tether.example.com/charts\nhelm repo update tether");
    expect(i.warnings).toEqual([]);
    for (const text of [i.repoAdd, i.helm, i.helmWithSecret, i.manifest])
      expect(text).not.toMatch(/127\.0\.0\.1|localhost/);
  });
});
