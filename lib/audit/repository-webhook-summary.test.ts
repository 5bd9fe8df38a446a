import { describe, expect, it } from "vitest";
import { summarize } from "./audit-pages";

const names = {
  agents: new Map<string, { name: string; project: string }>(),
  deletedAgents: new Map<string, string>(),
  projects: new Map([["p1", "acme/deploy"]]),
  groups: new Map<string, string>(),
  users: new Map<string, string>(),
};
const say = (action: string, d: Record<string, unknown>) =>
  summarize(
    {
      id: "e1",
      createdAt: new Date(0),
      actorId: null,
      action,
      targetType: "project",
      targetId: "p1",
      details: JSON.stringify(d),
      ip: null,
      actor: null,
    },
    d,
    names,
  );

describe("the audit log's sentences for the repository webhook", () => {
  it("names the project, and for a refused delivery the forge and why", () => {
    expect(say("repository_webhook.rotated", { webhookId: "w1" })).toMatch(
      /^Rotated the repository webhook secret of .*acme\/deploy/,
    );
    expect(
      say("repository_webhook.refused", {
        forge: "github",
        reason: "the HMAC signature does not match the body and the webhook's secret",
      }),
    ).toMatch(
      /^Refused a repository webhook delivery from github to .*acme\/deploy.*: the HMAC signature does not match/,
    );
  });
});
