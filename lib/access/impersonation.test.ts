import { describe, expect, it } from "vitest";
import { impersonationFor } from "./impersonation";

describe("impersonationFor", () => {
  const user = { type: "user", username: "dev", projectIds: ["p1"], groupIds: ["g1", "g2"] } as const;
  const job = { type: "ci_job", jobId: "j1", projectId: "p1", groupId: "g1" } as const;

  it("access_as agent: the agent's own service account, no impersonation", () => {
    expect(impersonationFor("agent", user)).toBeNull();
    expect(impersonationFor("agent", job)).toBeNull();
  });

  it("access_as user: the user, in tether:user and a group per project and group that lets them in", () => {
    expect(impersonationFor("user", user)).toEqual({
      user: "tether:user:dev",
      groups: ["tether:user", "tether:project:p1", "tether:group:g1", "tether:group:g2"],
    });
  });

  it("access_as ci_job: the job, in tether:ci, its project's group and its project's group's", () => {
    expect(impersonationFor("ci_job", job)).toEqual({
      user: "tether:ci_job:j1",
      groups: ["tether:ci", "tether:project:p1", "tether:group:g1"],
    });
    expect(impersonationFor("ci_job", { ...job, groupId: null })).toEqual({
      user: "tether:ci_job:j1",
      groups: ["tether:ci", "tether:project:p1"],
    });
  });

  it("never impersonates one kind of caller as the other", () => {
    expect(() => impersonationFor("user", job)).toThrow(/cannot impersonate a CI job/);
    expect(() => impersonationFor("ci_job", user)).toThrow(/cannot impersonate a user/);
  });
});
