// The testbed's git server speaks real smart HTTP: the git CLI clones, fetches and pushes through it,
// private repositories and pushes need the credentials, and nothing outside the data folder is served.
import fs from "node:fs";
import fsp from "node:fs/promises";
import http from "node:http";
import os from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type GitServer, commitAndPush, git, parseCgiHead, startGitServer, validateRepoName } from "./git-server";

function get(url: string): Promise<{ status: number; body: string; headers: http.IncomingHttpHeaders }> {
  return new Promise((resolve, reject) => {
    http
      .get(url, (res) => {
        let body = "";
        res.on("data", (c: Buffer) => (body += c.toString()));
        res.on("end", () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
      })
      .on("error", reject);
  });
}

// Each test runs several real git processes: give them room on a loaded machine.
describe("testbed git server", { timeout: 60_000 }, () => {
  let tmp: string;
  let open: GitServer;
  let locked: GitServer;
  const creds = { username: "flux", password: "s3cret:with:colons" };

  beforeAll(async () => {
    tmp = await fsp.mkdtemp(path.join(os.tmpdir(), "tether-git-server-"));
    open = await startGitServer({ dataDir: path.join(tmp, "open") });
    locked = await startGitServer({ dataDir: path.join(tmp, "locked"), credentials: creds });
  });
  afterAll(async () => {
    await open?.close();
    await locked?.close();
    await fsp.rm(tmp, { recursive: true, force: true });
  });

  it("takes pushes and serves clones over smart HTTP (protocol v2 and v0)", async () => {
    await open.createRepository("demo/app");
    const first = await commitAndPush(open, "demo/app", { "config/cm.yaml": "kind: ConfigMap\n" }, "first");
    const second = await commitAndPush(
      open,
      "demo/app",
      { "config/cm.yaml": "kind: ConfigMap # 2\n", README: "x" },
      "second",
    );
    expect(second).not.toBe(first);
    for (const version of ["2", "0"]) {
      const clone = path.join(tmp, `clone-v${version}`);
      await git(["-c", `protocol.version=${version}`, "clone", "--quiet", open.repoUrl("demo/app"), clone]);
      expect(fs.readFileSync(path.join(clone, "config", "cm.yaml"), "utf8")).toBe("kind: ConfigMap # 2\n");
      expect((await git(["rev-parse", "HEAD"], { cwd: clone })).trim()).toBe(second);
      expect((await git(["log", "--format=%s"], { cwd: clone })).trim().split("\n")).toEqual(["second", "first"]);
    }
    // Deleting a file is a commit too.
    await commitAndPush(open, "demo/app", { README: null }, "third");
    const ls = await git(["ls-remote", open.repoUrl("demo/app"), "refs/heads/main"]);
    expect(ls).toMatch(/^[0-9a-f]{40}\trefs\/heads\/main/);
  });

  it("answers the smart-HTTP advertisement a go-git client asks for first", async () => {
    await open.createRepository("adv");
    await commitAndPush(open, "adv", { a: "1" }, "one");
    const res = await get(`${open.repoUrl("adv")}/info/refs?service=git-upload-pack`);
    expect(res.status).toBe(200);
    expect(res.headers["content-type"]).toBe("application/x-git-upload-pack-advertisement");
    expect(res.body).toContain("# service=git-upload-pack");
    expect(res.body).toContain("refs/heads/main");
  });

  it("needs the credentials to read a private repository and to push at all", async () => {
    await locked.createRepository("private", { private: true });
    await locked.createRepository("public");
    const sha = await commitAndPush(locked, "private", { "a.yaml": "a: 1\n" }, "secret");
    await commitAndPush(locked, "public", { "b.yaml": "b: 1\n" }, "open");

    const withCreds = (repo: string, user: string, pass: string) => {
      const u = new URL(locked.repoUrl(repo));
      u.username = encodeURIComponent(user);
      u.password = encodeURIComponent(pass);
      return u.toString();
    };
    expect(await git(["ls-remote", withCreds("private", creds.username, creds.password)])).toContain(sha);
    await expect(git(["ls-remote", locked.repoUrl("private")])).rejects.toThrow(/could not read Username|401/);
    await expect(git(["ls-remote", withCreds("private", creds.username, "wrong")])).rejects.toThrow(
      /Authentication failed|401/,
    );
    const advert = await get(`${locked.repoUrl("private")}/info/refs?service=git-upload-pack`);
    expect(advert.status).toBe(401);
    expect(advert.headers["www-authenticate"]).toMatch(/^Basic realm=/);
    expect(advert.body).not.toContain(sha);

    // A public repository of the same server is readable anonymously, but an anonymous push is refused.
    expect(await git(["ls-remote", locked.repoUrl("public")])).toContain("refs/heads/main");
    await expect(commitAndPush({ repoUrl: locked.repoUrl }, "public", { c: "1" }, "anon")).rejects.toThrow(
      /could not read Username|401/,
    );
    await expect(open.createRepository("nope", { private: true })).rejects.toThrow(/has no credentials/);
  });

  it("serves nothing outside its repositories", async () => {
    for (const p of [
      "/../../etc/passwd",
      "/%2e%2e/locked/private.git/info/refs?service=git-upload-pack",
      "/missing.git/info/refs?service=git-upload-pack",
      "/adv.git/config",
      "/adv.git/objects/info/packs",
      "/",
    ]) {
      expect((await get(`${open.url}${p}`)).status, p).toBe(404);
    }
    expect(() => validateRepoName("../x")).toThrow(/invalid repository name/);
    expect(() => validateRepoName("a//b")).toThrow(/invalid repository name/);
    expect(validateRepoName("demo/gitops")).toBe("demo/gitops");
  });

  it("parses CGI response heads", () => {
    expect(parseCgiHead("Status: 403 Forbidden\r\nContent-Type: text/plain\r\nExpires: 0")).toEqual({
      status: 403,
      headers: [
        ["Content-Type", "text/plain"],
        ["Expires", "0"],
      ],
    });
    expect(parseCgiHead("Content-Type: x").status).toBe(200);
    expect(() => parseCgiHead("garbage")).toThrow(/malformed CGI header/);
    expect(() => parseCgiHead("Status: abc")).toThrow(/malformed CGI Status/);
  });
});
