import { describe, expect, it } from "vitest";
import { matching, pushKey } from "./reconcile";

const push = {
  pushId: "p1",
  repositoryUrls: ["https://git.example.com/acme/deploy.git", "git@git.example.com:acme/deploy.git"],
  ref: "refs/heads/main",
  after: "a".repeat(40),
  receivedMs: 0,
};
const repo = (name: string, url: string, ref?: { branch?: string; tag?: string }) => ({
  metadata: { name, namespace: "flux-system" },
  spec: { url, ref },
});

describe("which GitRepository objects a push concerns", () => {
  const repos = [
    repo("https", "https://git.example.com/acme/deploy", { branch: "main" }),
    repo("ssh", "ssh://git@git.example.com:2222/ACME/deploy.git"),
    repo("dev", "https://git.example.com/acme/deploy.git", { branch: "dev" }),
    repo("tag", "https://git.example.com/acme/deploy.git", { tag: "v1" }),
    repo("other", "https://git.example.com/acme/other.git"),
    { metadata: { name: "no-url", namespace: "flux-system" } },
  ];

  it("the same repository in any URL form, on the pushed branch", () => {
    expect(matching(repos, push, true).map((r) => r.metadata.name)).toEqual(["https", "ssh"]);
  });

  it("every branch and tag of it when match_branch is off", () => {
    expect(matching(repos, push, false).map((r) => r.metadata.name)).toEqual(["https", "ssh", "dev", "tag"]);
  });

  it("coalesces pushes by repository and ref, whatever URL forms the forge named", () => {
    expect(pushKey(push)).toBe(
      pushKey({ ...push, pushId: "p2", repositoryUrls: ["ssh://git.example.com/acme/deploy"] }),
    );
    expect(pushKey(push)).not.toBe(pushKey({ ...push, ref: "refs/heads/dev" }));
  });
});
