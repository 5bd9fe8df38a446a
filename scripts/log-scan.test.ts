import { describe, expect, it } from "vitest";
import { scanLogs } from "./log-scan";

const pat = `tthr_pat_${"A".repeat(43)}`;
const unrecorded = `tthr_agent_${"b".repeat(40)}-_9`;
const jwt = "eyJhbGciOiJIUzI1NiJ9.eyJpc3MiOiJ0ZXRoZXIta2FzIn0.c2lnbmF0dXJlLWJ5dGVz";

describe("scanLogs", () => {
  it("finds a recorded secret, an unrecorded Tether secret, a JWT and a password, each with its line", () => {
    const findings = scanLogs(
      [
        { name: "product.log", lines: ['{"level":30,"msg":"ok"}', `{"level":30,"token":"${pat}"}`] },
        {
          name: "agent.log",
          lines: [`dialing with ${unrecorded}`, `authorization: Bearer ${jwt}`, "pw=hunter2 horse"],
        },
      ],
      [pat],
      ["hunter2 horse"],
    );
    expect(findings).toEqual([
      { where: "product.log:2", what: "minted secret", excerpt: "tthr_pat_AAA…" },
      { where: "agent.log:1", what: "Tether secret", excerpt: "tthr_agent_b…" },
      { where: "agent.log:2", what: "JWT", excerpt: "eyJhbGciOiJI…" },
      { where: "agent.log:3", what: "password", excerpt: "" },
    ]);
  });

  it("passes lines that only name tokens, prefixes, hashes or redacted fields", () => {
    const lines = [
      '{"level":30,"token":"[redacted]","msg":"agent token verified"}',
      '{"level":40,"msg":"unknown or revoked agent token","prefix":"tthr_agent_"}',
      '{"level":30,"tokenHash":"9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"}',
      "web: Tether is starting at http://localhost:3217",
    ];
    expect(scanLogs([{ name: "product.log", lines }], [pat], ["correct horse battery"])).toEqual([]);
  });
});
