import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  KAS_WEB_PATH_PREFIX,
  describeApiPath,
  isAuditedProxyRequest,
  isKasWebCall,
  kasWebCalls,
  kasWebPath,
} from "./kas-web-contract";

describe("what the proxy audit log records", () => {
  it("names resources, subresources, namespaces and objects as RBAC does", () => {
    expect(describeApiPath("/api/v1/namespaces/ci/configmaps/app")).toEqual({
      resource: "configmaps",
      namespace: "ci",
      name: "app",
    });
    expect(describeApiPath("/api/v1/namespaces/default/pods/web-1/exec?command=sh&stdin=true")).toEqual({
      resource: "pods/exec",
      namespace: "default",
      name: "web-1",
    });
    expect(describeApiPath("/apis/apps/v1/namespaces/prod/deployments/api/scale")).toEqual({
      resource: "deployments/scale",
      namespace: "prod",
      name: "api",
    });
    expect(describeApiPath("/api/v1/nodes")).toEqual({ resource: "nodes", namespace: null, name: null });
  });

  it("keeps writes, refusals and pod sessions, and skips successful reads", () => {
    expect(isAuditedProxyRequest("DELETE", "/api/v1/namespaces/ci/configmaps/app", 200)).toBe(true);
    expect(isAuditedProxyRequest("GET", "/api/v1/namespaces/ci/configmaps/app", 403)).toBe(true);
    expect(isAuditedProxyRequest("GET", "/api/v1/namespaces/default/pods/web-1/exec?command=id", 101)).toBe(true);
    expect(isAuditedProxyRequest("GET", "/api/v1/namespaces/default/pods/web-1/portforward?ports=8080", 101)).toBe(
      true,
    );
    expect(isAuditedProxyRequest("GET", "/api/v1/namespaces/default/pods/web-1/log?follow=true", 200)).toBe(false);
    expect(isAuditedProxyRequest("GET", "/api/v1/namespaces/ci/configmaps", 200)).toBe(false);
  });
});

describe("the proxy audit rule both kas and web apply", () => {
  it("a refused read is audited: someone tried (the cluster's 403, or kas's own refusal of a forged identity)", () => {
    expect(isAuditedProxyRequest("GET", "/api/v1/namespaces/default/secrets", 403)).toBe(true);
    expect(isAuditedProxyRequest("GET", "/api/v1/namespaces/kube-system/secrets/token", 401)).toBe(true);
    expect(isAuditedProxyRequest("GET", "/apis/apps/v1/deployments?watch=true", 403)).toBe(true);
  });

  it("a write is audited whatever its answer, even when the client went away before one (status 0)", () => {
    for (const method of ["POST", "PUT", "PATCH", "DELETE"])
      expect(isAuditedProxyRequest(method, "/api/v1/namespaces/ci/configmaps", 0)).toBe(true);
  });

  it("a session on a pod is audited when it opens, under any API path that names pods/exec, attach or portforward", () => {
    expect(isAuditedProxyRequest("GET", "/api/v1/namespaces/default/pods/web-1/attach?stdin=true", 101)).toBe(true);
    expect(isAuditedProxyRequest("GET", "/api/v1/namespaces/default/pods/web-1/exec", 0)).toBe(true);
    expect(isAuditedProxyRequest("GET", "/api/v1/namespaces/default/pods/web-1", 200)).toBe(false);
    // The words alone are not a session: a pod or a ConfigMap may be named after them.
    expect(isAuditedProxyRequest("GET", "/api/v1/namespaces/default/pods/exec", 200)).toBe(false);
    expect(isAuditedProxyRequest("GET", "/api/v1/namespaces/default/configmaps/attach/", 200)).toBe(false);
    expect(isAuditedProxyRequest("GET", "/api/v1/namespaces/default/pods/executor/log", 200)).toBe(false);
    expect(isAuditedProxyRequest("GET", "/api/v1/namespaces/default/pods/exec/exec?command=id", 101)).toBe(true);
  });
});

describe("the kas ↔ web calls", () => {
  it("are served where web's route is: one path per call under the internal API's folder", () => {
    expect(fs.existsSync(path.join(__dirname, "..", "..", "app", KAS_WEB_PATH_PREFIX, "[action]", "route.ts"))).toBe(
      true,
    );
    expect(Object.keys(kasWebCalls).filter(isKasWebCall).map(kasWebPath)).toEqual([
      "/api/internal/kas/verify-agent-token",
      "/api/internal/kas/agent-contact",
      "/api/internal/kas/agent-configuration",
      "/api/internal/kas/authorize-proxy",
      "/api/internal/kas/proxy-audit",
      "/api/internal/kas/receptive-agents",
      "/api/internal/kas/receptive-state",
      "/api/internal/kas/flux-pending-pushes",
      "/api/internal/kas/flux-push-outcomes",
    ]);
    expect(isKasWebCall("proxy-audit")).toBe(true);
    expect(isKasWebCall("toString")).toBe(false);
  });

  it("a grant without its impersonation or actor is not a grant", () => {
    const grant = {
      allowed: true,
      agentId: "a1",
      agentName: "prod",
      actor: { type: "user", id: "u1", name: "dev" },
      accessAs: "user",
      impersonation: { user: "tether:user:dev", groups: ["tether:user"] },
      defaultNamespace: null,
    };
    expect(kasWebCalls["authorize-proxy"].response.safeParse(grant).success).toBe(true);
    expect(kasWebCalls["authorize-proxy"].response.safeParse({ ...grant, impersonation: undefined }).success).toBe(
      false,
    );
    expect(
      kasWebCalls["authorize-proxy"].response.safeParse({ ...grant, actor: { type: "robot", id: "x", name: "x" } })
        .success,
    ).toBe(false);
    expect(kasWebCalls["authorize-proxy"].response.safeParse({ ...grant, allowed: false }).success).toBe(false);
  });

  it("requests are bounded as web accepts them", () => {
    expect(kasWebCalls["verify-agent-token"].request.safeParse({ token: "x".repeat(201) }).success).toBe(false);
    expect(kasWebCalls["agent-configuration"].request.safeParse({ agentId: "" }).success).toBe(false);
    expect(
      kasWebCalls["agent-contact"].request.safeParse({
        agentId: "a1",
        info: {
          agentVersion: "1",
          kubernetesVersion: "1.33",
          nodeCount: -1,
          podName: "p",
          podNamespace: "n",
          kasId: "k",
        },
      }).success,
    ).toBe(false);
  });
});
