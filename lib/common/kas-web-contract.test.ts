import { describe, expect, it } from "vitest";
import { describeApiPath, isAuditedProxyRequest } from "./kas-web-contract";

describe("what the proxy audit log records", () => {
  it("names resources, subresources, namespaces and objects as RBAC does", () => {
    expect(describeApiPath("/api/v1/namespaces/ci/configmaps/app")).toEqual({ resource: "configmaps", namespace: "ci", name: "app" });
    expect(describeApiPath("/api/v1/namespaces/default/pods/web-1/exec?command=sh&stdin=true")).toEqual({ resource: "pods/exec", namespace: "default", name: "web-1" });
    expect(describeApiPath("/apis/apps/v1/namespaces/prod/deployments/api/scale")).toEqual({ resource: "deployments/scale", namespace: "prod", name: "api" });
    expect(describeApiPath("/api/v1/nodes")).toEqual({ resource: "nodes", namespace: null, name: null });
  });

  it("keeps writes, refusals and pod sessions, and skips successful reads", () => {
    expect(isAuditedProxyRequest("DELETE", "/api/v1/namespaces/ci/configmaps/app", 200)).toBe(true);
    expect(isAuditedProxyRequest("GET", "/api/v1/namespaces/ci/configmaps/app", 403)).toBe(true);
    expect(isAuditedProxyRequest("GET", "/api/v1/namespaces/default/pods/web-1/exec?command=id", 101)).toBe(true);
    expect(isAuditedProxyRequest("GET", "/api/v1/namespaces/default/pods/web-1/portforward?ports=8080", 101)).toBe(true);
    expect(isAuditedProxyRequest("GET", "/api/v1/namespaces/default/pods/web-1/log?follow=true", 200)).toBe(false);
    expect(isAuditedProxyRequest("GET", "/api/v1/namespaces/ci/configmaps", 200)).toBe(false);
  });
});
