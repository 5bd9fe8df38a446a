import { describe, expect, it } from "vitest";
import { missingScopeMessage, scopeNeeded, scopesAllow } from "./scopes";

describe("API token scopes", () => {
  it("reads need read_api, everything else needs api", () => {
    expect(scopeNeeded("GET")).toBe("read_api");
    expect(scopeNeeded("head")).toBe("read_api");
    for (const m of ["POST", "PUT", "PATCH", "DELETE"]) expect(scopeNeeded(m)).toBe("api");
  });

  it("api allows every method, read_api only reads, k8s_proxy nothing on the REST API", () => {
    for (const m of ["GET", "HEAD", "POST", "PUT", "DELETE"]) expect(scopesAllow(["api"], m)).toBe(true);
    expect(scopesAllow(["read_api"], "GET")).toBe(true);
    expect(scopesAllow(["read_api"], "POST")).toBe(false);
    expect(scopesAllow(["read_api"], "DELETE")).toBe(false);
    expect(scopesAllow(["k8s_proxy"], "GET")).toBe(false);
    expect(scopesAllow([], "GET")).toBe(false);
  });

  it("the refusal names the scope needed and the scopes the token has", () => {
    expect(missingScopeMessage(["read_api"], "post")).toBe(
      "This token needs the api scope for POST requests (it has: read_api)",
    );
    expect(missingScopeMessage(["k8s_proxy"], "GET")).toContain("needs the read_api or api scope");
    expect(missingScopeMessage([], "GET")).toContain("(it has: none)");
  });
});
