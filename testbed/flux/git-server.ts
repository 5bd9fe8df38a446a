// A real git server on loopback for tests and the demo: Debian's `git http-backend` (smart HTTP,
// which Flux's go-git client needs; a static file server is not enough) run as a CGI program behind a
// small Node HTTP handler, serving bare repositories under a data folder. A repository created private
// needs HTTP basic auth to be read; pushing needs it whenever the server has credentials.
import { execFileSync, spawn } from "node:child_process";
import crypto from "node:crypto";
import fs from "node:fs";
import fsp from "node:fs/promises";
import http from "node:http";
import type net from "node:net";
import os from "node:os";
import path from "node:path";

const PRIVATE_MARKER = "tether-private";
const REALM = "tether testbed git";
/** A repository path: one or more lowercase segments, the last ending in .git, no dot segments. */
const REPO_NAME = /^[a-z0-9][a-z0-9_-]*(?:\/[a-z0-9][a-z0-9_-]*)*$/;

export interface GitCredentials {
  username: string;
  password: string;
}

export interface GitServerOptions {
  /** Folder of bare repositories (`<name>.git`); created if missing. */
  dataDir: string;
  /** Loopback port; 0 (the default) lets the system pick a free one. */
  port?: number;
  /** When set, private repositories and every push need these (HTTP basic auth). */
  credentials?: GitCredentials;
  log?: (msg: string) => void;
}

export interface GitServer {
  /** http://127.0.0.1:<port> */
  url: string;
  dataDir: string;
  credentials?: GitCredentials;
  /** The clone URL of a repository, e.g. http://127.0.0.1:3301/demo/gitops.git */
  repoUrl(name: string): string;
  /** Creates an empty bare repository whose default branch is `main` (no-op if it exists). */
  createRepository(name: string, opts?: { private?: boolean }): Promise<string>;
  close(): Promise<void>;
}

export function validateRepoName(name: string): string {
  if (!REPO_NAME.test(name))
    throw new Error(
      `invalid repository name ${JSON.stringify(name)}: use lowercase letters, digits, - and _, in /-separated segments`,
    );
  return name;
}

/** The environment for every git command we run: no user or system configuration, no prompts. */
export function gitEnv(extra: Record<string, string> = {}): Record<string, string> {
  return {
    PATH: process.env.PATH ?? "/usr/bin:/bin",
    HOME: os.tmpdir(),
    GIT_CONFIG_NOSYSTEM: "1",
    GIT_CONFIG_GLOBAL: "/dev/null",
    GIT_TERMINAL_PROMPT: "0",
    LANG: "C",
    ...extra,
  };
}

/** Runs `git` to completion and returns its stdout; a failure throws with its stderr. */
export function git(args: string[], opts: { cwd?: string; env?: Record<string, string> } = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn("git", args, {
      cwd: opts.cwd, // Our environment is replaced, not extended (NODE_ENV is not needed).
      env: gitEnv(opts.env) as NodeJS.ProcessEnv,
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let err = "";
    child.stdout.on("data", (b: Buffer) => (out += b.toString()));
    child.stderr.on("data", (b: Buffer) => (err += b.toString()));
    child.on("error", (e) => reject(new Error(`git could not start (is it installed?): ${e.message}`)));
    child.on("close", (code) =>
      code === 0 ? resolve(out) : reject(new Error(`git ${args.join(" ")} exited with ${code}: ${err.trim()}`)),
    );
  });
}

function sameSecret(a: string, b: string): boolean {
  const h = (s: string) => crypto.createHash("sha256").update(s).digest();
  return crypto.timingSafeEqual(h(a), h(b));
}

/** The user named by a valid Authorization: Basic header, or undefined. */
function authenticatedUser(header: string | undefined, creds: GitCredentials | undefined): string | undefined {
  if (!creds || !header) return undefined;
  const m = /^Basic\s+([A-Za-z0-9+/=]+)\s*$/i.exec(header);
  if (!m?.[1]) return undefined;
  const decoded = Buffer.from(m[1], "base64").toString("utf8");
  const colon = decoded.indexOf(":");
  if (colon < 0) return undefined;
  const user = decoded.slice(0, colon);
  const okUser = sameSecret(user, creds.username);
  const okPass = sameSecret(decoded.slice(colon + 1), creds.password);
  return okUser && okPass ? user : undefined;
}

/** Splits a CGI response head ("Name: value" lines) into a status and headers. */
export function parseCgiHead(head: string): { status: number; headers: [string, string][] } {
  let status = 200;
  const headers: [string, string][] = [];
  for (const line of head.split(/\r?\n/)) {
    if (!line) continue;
    const colon = line.indexOf(":");
    if (colon <= 0) throw new Error(`malformed CGI header line ${JSON.stringify(line)}`);
    const name = line.slice(0, colon).trim();
    const value = line.slice(colon + 1).trim();
    if (name.toLowerCase() === "status") {
      const code = Number(/^(\d{3})/.exec(value)?.[1]);
      if (!code) throw new Error(`malformed CGI Status ${JSON.stringify(value)}`);
      status = code;
    } else headers.push([name, value]);
  }
  return { status, headers };
}

/** Finds the end of the CGI head in `buf`: the blank line (CRLF or LF). */
function headEnd(buf: Buffer): { end: number; bodyStart: number } | undefined {
  const crlf = buf.indexOf("\r\n\r\n");
  const lf = buf.indexOf("\n\n");
  if (crlf >= 0 && (lf < 0 || crlf < lf)) return { end: crlf, bodyStart: crlf + 4 };
  if (lf >= 0) return { end: lf, bodyStart: lf + 2 };
  return undefined;
}

export async function startGitServer(opts: GitServerOptions): Promise<GitServer> {
  const log = opts.log ?? (() => {});
  const dataDir = path.resolve(opts.dataDir);
  await fsp.mkdir(dataDir, { recursive: true });
  const creds = opts.credentials;
  // Where git keeps its helper programs (/usr/lib/git-core on Debian).
  let backend: string;
  try {
    backend = path.join(
      execFileSync("git", ["--exec-path"], { env: gitEnv() as NodeJS.ProcessEnv })
        .toString()
        .trim(),
      "git-http-backend",
    );
  } catch (e) {
    throw new Error(`git is needed for the testbed git server (apt-get install git): ${(e as Error).message}`);
  }
  if (!fs.existsSync(backend)) throw new Error(`${backend} is missing (apt-get install git)`);

  const handler = (req: http.IncomingMessage, res: http.ServerResponse) => {
    const fail = (status: number, message: string, headers: Record<string, string> = {}) => {
      if (res.headersSent) {
        res.destroy();
        return;
      }
      res.writeHead(status, { "content-type": "text/plain; charset=utf-8", ...headers });
      res.end(message + "\n");
    };
    const url = new URL(req.url ?? "/", "http://git.invalid");
    // /<repo>.git/<rest>: only the smart-HTTP endpoints git and go-git use.
    const m = /^\/(.+?)\.git(\/info\/refs|\/git-upload-pack|\/git-receive-pack|\/HEAD)$/.exec(url.pathname);
    const method = req.method ?? "GET";
    if (!m?.[1] || !m[2] || !REPO_NAME.test(m[1])) return fail(404, "not found");
    const repo = m[1];
    const endpoint = m[2];
    if (!["GET", "POST"].includes(method)) return fail(405, "method not allowed", { allow: "GET, POST" });
    const repoDir = path.join(dataDir, `${repo}.git`);
    if (!fs.existsSync(path.join(repoDir, "HEAD"))) return fail(404, `repository ${repo} not found`);
    const service = endpoint === "/info/refs" ? url.searchParams.get("service") : endpoint.slice(1);
    const pushing = service === "git-receive-pack";
    const isPrivate = fs.existsSync(path.join(repoDir, PRIVATE_MARKER));
    const user = authenticatedUser(req.headers.authorization, creds);
    if ((isPrivate || (pushing && creds)) && !user) {
      if (req.headers.authorization) log(`git: refused credentials for ${repo}`);
      return fail(401, "authentication required", { "www-authenticate": `Basic realm="${REALM}"` });
    }
    const env: Record<string, string> = {
      GIT_PROJECT_ROOT: dataDir,
      GIT_HTTP_EXPORT_ALL: "1",
      GATEWAY_INTERFACE: "CGI/1.1",
      SERVER_PROTOCOL: `HTTP/${req.httpVersion}`,
      REQUEST_METHOD: method,
      PATH_INFO: `/${repo}.git${endpoint}`,
      QUERY_STRING: url.search.slice(1),
      REMOTE_ADDR: req.socket.remoteAddress ?? "127.0.0.1",
    };
    if (req.headers["content-type"]) env.CONTENT_TYPE = req.headers["content-type"];
    if (req.headers["content-length"]) env.CONTENT_LENGTH = req.headers["content-length"];
    if (req.headers["content-encoding"]) env.HTTP_CONTENT_ENCODING = req.headers["content-encoding"];
    const protocol = req.headers["git-protocol"];
    if (typeof protocol === "string") env.GIT_PROTOCOL = protocol;
    if (user) env.REMOTE_USER = user;
    else if (pushing) {
      // No credentials configured: anyone on loopback may push (http-backend refuses anonymous pushes
      // unless http.receivepack is true).
      Object.assign(env, { GIT_CONFIG_COUNT: "1", GIT_CONFIG_KEY_0: "http.receivepack", GIT_CONFIG_VALUE_0: "true" });
    }
    const child = spawn(backend, [], {
      env: gitEnv(env) as NodeJS.ProcessEnv, // replaces ours (NODE_ENV is not needed)
      stdio: ["pipe", "pipe", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (b: Buffer) => {
      stderr += b.toString();
      if (stderr.length > 10_000) stderr = stderr.slice(-5_000);
    });
    child.on("error", (e) => fail(500, `git http-backend could not start: ${e.message}`));
    req.pipe(child.stdin);
    child.stdin.on("error", () => {}); // the backend may answer (an error) before reading the body
    req.on("aborted", () => child.kill("SIGKILL"));
    res.on("close", () => {
      if (child.exitCode === null) child.kill("SIGKILL");
    });

    let head = Buffer.alloc(0);
    let inBody = false;
    child.stdout.on("data", (chunk: Buffer) => {
      if (inBody) {
        if (!res.write(chunk)) {
          child.stdout.pause();
          res.once("drain", () => child.stdout.resume());
        }
        return;
      }
      head = Buffer.concat([head, chunk]);
      const found = headEnd(head);
      if (!found) {
        if (head.length > 64 * 1024) {
          child.kill("SIGKILL");
          fail(502, "git http-backend sent no header end");
        }
        return;
      }
      let parsed: ReturnType<typeof parseCgiHead>;
      try {
        parsed = parseCgiHead(head.subarray(0, found.end).toString("latin1"));
      } catch (e) {
        child.kill("SIGKILL");
        return fail(502, `git http-backend: ${(e as Error).message}`);
      }
      inBody = true;
      res.writeHead(parsed.status, parsed.headers.flat());
      const rest = head.subarray(found.bodyStart);
      if (rest.length) res.write(rest);
    });
    child.stdout.on("end", () => {
      if (!inBody) fail(502, `git http-backend ended without a response: ${stderr.trim()}`);
      else res.end();
    });
    child.on("close", (code) => {
      if (code !== 0 && stderr.trim())
        log(`git: http-backend for ${method} ${url.pathname} exited ${code}: ${stderr.trim()}`);
    });
  };

  const server = http.createServer(handler);
  const sockets = new Set<net.Socket>();
  server.on("connection", (s) => {
    sockets.add(s);
    s.on("close", () => sockets.delete(s));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port ?? 0, "127.0.0.1", () => resolve());
  });
  const { port } = server.address() as net.AddressInfo;
  const url = `http://127.0.0.1:${port}`;
  log(`git: serving ${dataDir} at ${url}`);

  return {
    url,
    dataDir,
    credentials: creds,
    repoUrl: (name) => `${url}/${validateRepoName(name)}.git`,
    async createRepository(name, o = {}) {
      const dir = path.join(dataDir, `${validateRepoName(name)}.git`);
      if (!fs.existsSync(path.join(dir, "HEAD"))) {
        await fsp.mkdir(dir, { recursive: true });
        await git(["init", "--quiet", "--bare", "--initial-branch=main", dir]);
      }
      if (o.private) {
        if (!creds) throw new Error(`repository ${name} cannot be private: the git server has no credentials`);
        await fsp.writeFile(path.join(dir, PRIVATE_MARKER), "reading needs credentials\n");
      }
      return dir;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        for (const s of sockets) s.destroy();
      }),
  };
}

/**
 * Commits files to a repository of the git server with the real git CLI and pushes over smart HTTP
 * (with the server's credentials when it has some). `files` maps a path to its new content, or to null
 * to delete it. Returns the new commit's SHA.
 */
export async function commitAndPush(
  server: Pick<GitServer, "repoUrl" | "credentials">,
  repo: string,
  files: Record<string, string | null>,
  message: string,
  opts: { branch?: string } = {},
): Promise<string> {
  const branch = opts.branch ?? "main";
  const remote = new URL(server.repoUrl(repo));
  if (server.credentials) {
    remote.username = encodeURIComponent(server.credentials.username);
    remote.password = encodeURIComponent(server.credentials.password);
  }
  const work = await fsp.mkdtemp(path.join(os.tmpdir(), "tether-git-work-"));
  try {
    await git(["init", "--quiet", `--initial-branch=${branch}`, work]);
    await git(["remote", "add", "origin", remote.toString()], { cwd: work });
    const heads = await git(["ls-remote", "--heads", "origin", branch], { cwd: work });
    if (heads.trim()) {
      await git(["fetch", "--quiet", "--depth=1", "origin", branch], { cwd: work });
      await git(["checkout", "--quiet", "-B", branch, "FETCH_HEAD"], { cwd: work });
    }
    for (const [file, content] of Object.entries(files)) {
      const target = path.resolve(work, file);
      if (!target.startsWith(work + path.sep) || target.includes(`${path.sep}.git${path.sep}`))
        throw new Error(`refusing to write ${JSON.stringify(file)} outside the work tree`);
      if (content === null) await fsp.rm(target, { force: true });
      else {
        await fsp.mkdir(path.dirname(target), { recursive: true });
        await fsp.writeFile(target, content);
      }
    }
    await git(["add", "--all"], { cwd: work });
    await git(
      [
        "-c",
        "user.name=Tether Testbed",
        "-c",
        "user.email=testbed@tether.invalid",
        "commit",
        "--quiet",
        "--allow-empty",
        "-m",
        message,
      ],
      { cwd: work },
    );
    await git(["push", "--quiet", "origin", `HEAD:refs/heads/${branch}`], { cwd: work });
    return (await git(["rev-parse", "HEAD"], { cwd: work })).trim();
  } finally {
    await fsp.rm(work, { recursive: true, force: true });
  }
}
