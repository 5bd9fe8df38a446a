import { describe, expect, it } from "vitest";
import { parseCspReport } from "./csp-report";

describe("parseCspReport", () => {
  it("reads report-uri's format, dropping query strings and fragments (a page's address may hold an invite link)", () => {
    const body = JSON.stringify({
      "csp-report": {
        "document-uri": "http://localhost:3000/sign-up?invite=tthr_invite_abc#x",
        "violated-directive": "img-src",
        "effective-directive": "img-src",
        "blocked-uri": "http://evil.example/pixel.png?who=me",
        "original-policy": "default-src 'self'",
      },
    });
    expect(parseCspReport(body)).toEqual([
      { directive: "img-src", page: "http://localhost:3000/sign-up", blocked: "http://evil.example/pixel.png" },
    ]);
  });

  it("reads the Reporting API's list, keywords as they are", () => {
    const body = JSON.stringify([
      {
        type: "csp-violation",
        body: { documentURL: "http://h/projects?q=1", effectiveDirective: "script-src-elem", blockedURL: "inline" },
      },
    ]);
    expect(parseCspReport(body)).toEqual([
      { directive: "script-src-elem", page: "http://h/projects", blocked: "inline" },
    ]);
  });

  it("refuses what is no CSP report", () => {
    expect(parseCspReport("not json")).toBeNull();
    expect(parseCspReport(JSON.stringify({ hello: "world" }))).toBeNull();
    expect(parseCspReport(JSON.stringify([{ type: "deprecation", body: {} }]))).toBeNull();
  });
});
