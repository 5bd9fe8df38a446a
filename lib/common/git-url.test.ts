import { describe, expect, it } from "vitest";
import { refConcerns, repositoryKey, sameRepository } from "./git-url";

describe("repositoryKey", () => {
  it("gives the http(s), ssh and scp-style forms of one repository the same key", () => {
    const forms = [
      "https://gitlab.example.com/group/app.git",
      "https://gitlab.example.com/group/app",
      "http://gitlab.example.com/group/app/",
      "https://oauth2:secret@GitLab.Example.com:8443/Group/App.git",
      "ssh://git@gitlab.example.com/group/app.git",
      "ssh://git@gitlab.example.com:2222/group/app.git",
      "git@gitlab.example.com:group/app.git",
      "gitlab.example.com:group/app",
      "git://gitlab.example.com/group/app.git",
    ];
    for (const f of forms) expect(repositoryKey(f), f).toBe("gitlab.example.com/group/app");
  });

  it("keeps nested groups and path prefixes", () => {
    expect(repositoryKey("https://git.example.com/repos/a/b/c.git")).toBe("git.example.com/repos/a/b/c");
    expect(repositoryKey("git@git.example.com:a/b/c.git")).toBe("git.example.com/a/b/c");
  });

  it("refuses what is no clone URL", () => {
    for (const bad of ["", "not a url", "ftp://host/repo", "https://host/", "file:///srv/repo.git", "host:"])
      expect(repositoryKey(bad), bad).toBeNull();
  });

  it("tells different repositories apart", () => {
    expect(sameRepository("https://h.example.com/group/app", "git@h.example.com:group/app2.git")).toBe(false);
    expect(sameRepository("https://h.example.com/group/app", "https://other.example.com/group/app")).toBe(false);
    expect(sameRepository("https://h.example.com/group/app", "git@h.example.com:group/app.git")).toBe(true);
  });
});

describe("refConcerns", () => {
  it("matches a branch-following GitRepository only for its branch", () => {
    expect(refConcerns({ branch: "main" }, "refs/heads/main")).toBe(true);
    expect(refConcerns({ branch: "main" }, "refs/heads/dev")).toBe(false);
    expect(refConcerns({ branch: "main" }, "refs/tags/main")).toBe(false);
  });
  it("matches a tag-following one only for its tag, the rest for every push", () => {
    expect(refConcerns({ tag: "v1" }, "refs/tags/v1")).toBe(true);
    expect(refConcerns({ tag: "v1" }, "refs/heads/main")).toBe(false);
    expect(refConcerns({ semver: ">=1.0.0" }, "refs/tags/v1.2.0")).toBe(true);
    expect(refConcerns(undefined, "refs/heads/anything")).toBe(true);
  });
});
