import { describe, expect, it } from "vitest";
import { logsPath, logsQuery } from "./pod-log";

describe("logsQuery and logsPath", () => {
  it("builds the API server's log path as kubectl logs -f --tail --timestamps asks it", () => {
    const q = logsQuery.parse({
      namespace: "apps",
      pod: "web-1",
      container: "app",
      follow: "true",
      timestamps: "1",
      tailLines: "500",
      sinceSeconds: "300",
    });
    expect(logsPath(q)).toBe(
      "/api/v1/namespaces/apps/pods/web-1/log?container=app&follow=true&timestamps=true&tailLines=500&sinceSeconds=300",
    );
    expect(logsPath(logsQuery.parse({ namespace: "apps", pod: "web-1", previous: "true" }))).toBe(
      "/api/v1/namespaces/apps/pods/web-1/log?previous=true",
    );
  });

  it.each([
    [{ namespace: "apps", pod: "../secrets" }, "not a Kubernetes name"],
    [{ namespace: "apps", pod: "web", container: "a/b" }, "not a container name"],
    [{ namespace: "apps", pod: "web", tailLines: "-1" }, "tailLines cannot be negative"],
    [{ namespace: "apps", pod: "web", tailLines: "200000" }, "tailLines is at most 100000"],
    [{ namespace: "apps", pod: "web", sinceSeconds: "soon" }, "sinceSeconds must be a whole number"],
    [{ namespace: "apps", pod: "web", follow: "yes" }, "use true or false"],
  ])("refuses %j with a specific message", (input, message) => {
    const r = logsQuery.safeParse(input);
    expect(r.success).toBe(false);
    expect(r.error?.issues[0]?.message).toBe(message);
  });
});
