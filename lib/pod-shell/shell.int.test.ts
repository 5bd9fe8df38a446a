// The shell against the testbed, through real kas and agent processes (kwok runs the command on this
// host with a pseudo-terminal): web's WebSocket handler on a loopback HTTP server, a session cookie made
// as next-auth makes it, and a WebSocket client as the page is one. What a user would notice: output of a
// typed command, a resize the command sees, the exit code, the cluster's refusal in its words, a shell that
// ends at once when the user's sessions are revoked, and the audit log's record of each session.
import http from "node:http";
import type { AddressInfo } from "node:net";
import { encode } from "next-auth/jwt";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import WebSocket from "ws";
import { revokeSessions } from "@/lib/auth/account";
import { apiserverRequest, startPod } from "@/testbed/cluster";
import { startTunnelStack, type TunnelStack } from "@/testbed/tunnel-stack";
import { SHELL_CLOSE, shellPath, type ServerMessage } from "./protocol";
import { createShellServer, type ShellServer } from "./server";

const SECRET = "shell-int-test-secret-0123456789abcdef";

interface Client {
  ws: WebSocket;
  output(): string;
  messages: ServerMessage[];
  closed: Promise<{ code: number; reason: string; at: number }>;
  opened: Promise<void>;
  type(text: string): void;
}

describe("a shell into a container, through the tunnel, as the viewer", () => {
  const tb = inject("testbed");
  const ns = `shell-${Date.now().toString(36)}`;
  const locked = `${ns}-locked`;
  let stack: TunnelStack;
  let username = "";
  let cookie = "";
  let server: http.Server;
  let shells: ShellServer;
  let base = "";
  const direct = (method: string, p: string, body?: unknown) => apiserverRequest(tb, method, p, body);

  beforeAll(async () => {
    process.env.NEXTAUTH_SECRET = SECRET;
    stack = await startTunnelStack(tb.kubeconfig, { name: "shell" });
    const user = await stack.web.db.user.findUniqueOrThrow({ where: { id: stack.userId } });
    username = user.username;
    cookie = `next-auth.session-token=${await encode({ token: { uid: user.id, sessionVersion: user.sessionVersion }, secret: SECRET })}`;
    for (const n of [ns, locked]) await direct("POST", "/api/v1/namespaces", { metadata: { name: n } });
    // The viewer (the project's owner, impersonated as themselves) may exec in `ns`, not in `locked`.
    await direct("POST", `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/roles`, {
      metadata: { name: "shell" },
      rules: [
        { apiGroups: [""], resources: ["pods"], verbs: ["get"] },
        { apiGroups: [""], resources: ["pods/exec"], verbs: ["get", "create"] },
      ],
    });
    await direct("POST", `/apis/rbac.authorization.k8s.io/v1/namespaces/${ns}/rolebindings`, {
      metadata: { name: "shell" },
      roleRef: { apiGroup: "rbac.authorization.k8s.io", kind: "Role", name: "shell" },
      subjects: [{ apiGroup: "rbac.authorization.k8s.io", kind: "User", name: `tether:user:${username}` }],
    });
    await startPod(tb, ns, "box");
    await startPod(tb, locked, "box");
    shells = createShellServer({
      db: stack.web.db,
      tunnel: stack.client,
      maxPerUser: 2,
      idleMs: 60_000,
      sessionRecheckMs: 300,
    });
    server = http.createServer((_req, res) => res.writeHead(404).end());
    server.on("upgrade", (req, socket, head) => shells.handleUpgrade(req, socket, head));
    await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
    base = `127.0.0.1:${(server.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    shells?.close();
    server?.closeAllConnections();
    await new Promise<void>((r) => (server ? server.close(() => r()) : r()));
    await stack?.stop();
    for (const n of [ns, locked]) await direct("DELETE", `/api/v1/namespaces/${n}`).catch(() => undefined);
  });

  function connect(
    q: { namespace?: string; command: string[]; agentId?: string },
    headers?: Record<string, string>,
  ): Client {
    const path = shellPath(q.agentId ?? stack.agentId, {
      namespace: q.namespace ?? ns,
      pod: "box",
      container: "main",
      command: q.command,
    });
    const ws = new WebSocket(`ws://${base}${path}`, { headers: headers ?? { origin: `http://${base}`, cookie } });
    let out = "";
    const messages: ServerMessage[] = [];
    let onOpen: () => void = () => {};
    const opened = new Promise<void>((r) => (onOpen = r));
    ws.on("message", (data: Buffer, binary: boolean) => {
      if (binary) out += data.toString("utf8");
      else {
        const m = JSON.parse(data.toString()) as ServerMessage;
        messages.push(m);
        if (m.type === "open") onOpen();
      }
    });
    const closed = new Promise<{ code: number; reason: string; at: number }>((resolve) =>
      ws.on("close", (code, reason) => resolve({ code, reason: reason.toString(), at: Date.now() })),
    );
    ws.on("error", () => {});
    return {
      ws,
      output: () => out,
      messages,
      closed,
      opened,
      type: (text) => ws.send(Buffer.from(text), { binary: true }),
    };
  }

  const auditRows = async () =>
    (await stack.web.db.auditEvent.findMany({ where: { action: "cluster.exec" }, orderBy: { createdAt: "asc" } })).map(
      (e) => JSON.parse(e.details) as Record<string, unknown>,
    );

  it("runs a command with a terminal: typed input, its output, a resize it sees, its exit code; audited", async () => {
    const c = connect({ command: ["/bin/sh"] });
    await c.opened;
    expect(c.messages[0]).toEqual({ type: "open", command: "/bin/sh", container: "main" });
    c.type("echo tether-$((40+2))\r");
    await expect.poll(() => c.output(), { timeout: 15_000 }).toContain("tether-42");

    // Keystroke echo through web, kas, the agent, the API server and kwok's terminal, and back.
    const samples: number[] = [];
    for (let i = 0; i < 20; i++) {
      const mark = String.fromCharCode(97 + (i % 26));
      const before = c.output().length;
      const t0 = performance.now();
      c.type(mark);
      await expect.poll(() => c.output().slice(before).includes(mark), { interval: 1, timeout: 5_000 }).toBe(true);
      samples.push(performance.now() - t0);
    }
    c.type("\u0015"); // Ctrl-U: forget the marks
    samples.sort((a, b) => a - b);
    console.log(
      `shell keystroke echo over the tunnel: median ${samples[10]!.toFixed(1)} ms, p95 ${samples[18]!.toFixed(1)} ms, max ${samples[19]!.toFixed(1)} ms (20 keys)`,
    );

    c.ws.send(JSON.stringify({ type: "resize", cols: 123, rows: 45 }));
    await new Promise((r) => setTimeout(r, 300));
    c.type("/bin/stty size\r");
    await expect.poll(() => c.output(), { timeout: 15_000 }).toContain("45 123");

    c.type("exit 3\r");
    const closed = await c.closed;
    expect(closed.code).toBe(SHELL_CLOSE.ended);
    // kwok reports a non-zero exit as an error in its own words (a kubelet sends NonZeroExitCode with the
    // code, which exec.test.ts reads); the page shows what the cluster said.
    const end = c.messages.at(-1);
    expect(end).toMatchObject({ type: "end", code: 1000, exitCode: null });
    expect(end?.type === "end" && end.reason).toMatch(/exit status 3$/);
    await expect
      .poll(async () => (await auditRows()).at(-1))
      .toMatchObject({
        namespace: ns,
        pod: "box",
        container: "main",
        command: "/bin/sh",
        identity: `tether:user:${username}`,
        outcome: "exited",
      });

    // A command that succeeds ends with exit code 0.
    const ok = connect({ command: ["true"] });
    expect((await ok.closed).code).toBe(SHELL_CLOSE.ended);
    expect(ok.messages.at(-1)).toEqual({ type: "end", code: 1000, reason: "the command exited", exitCode: 0 });
    await expect
      .poll(async () => (await auditRows()).at(-1))
      .toMatchObject({ command: "true", outcome: "exited", exitCode: 0 });
  });

  it("refuses a viewer without pods/exec there in the cluster's words; nothing runs; audited as refused", async () => {
    const c = connect({ namespace: locked, command: ["/bin/sh"] });
    const closed = await c.closed;
    expect(closed.code).toBe(SHELL_CLOSE.refused);
    expect(c.messages.some((m) => m.type === "open")).toBe(false);
    const end = c.messages.at(-1);
    expect(end?.type === "end" && end.reason).toBe(
      `the cluster refused: pods "box" is forbidden: User "tether:user:${username}" cannot create resource "pods/exec" in API group "" in the namespace "${locked}"`,
    );
    expect(c.output()).toBe("");
    await expect
      .poll(async () => (await auditRows()).at(-1))
      .toMatchObject({ namespace: locked, outcome: "refused", status: 403 });
  });

  it("ends an open shell at once when the user's sessions are revoked, saying so; a later handshake is refused", async () => {
    const c = connect({ command: ["cat"] });
    await c.opened;
    c.type("still here\r");
    await expect.poll(() => c.output(), { timeout: 15_000 }).toContain("still here");
    const user = await stack.web.db.user.findUniqueOrThrow({ where: { id: stack.userId } });
    const t0 = Date.now();
    await revokeSessions(stack.web.db, { ...user, isAdmin: false }, user.id);
    const closed = await c.closed;
    console.log(`shell ended ${closed.at - t0} ms after the sessions were revoked`);
    expect(closed.at - t0).toBeLessThan(2_000);
    expect(closed.code).toBe(SHELL_CLOSE.sessionEnded);
    expect(closed.reason).toBe("your session ended (signed out everywhere); sign in again");
    // The old cookie no longer opens anything.
    const again = connect({ command: ["cat"] });
    const refused = await new Promise<number>((r) =>
      again.ws.on("unexpected-response", (_req, res) => r(res.statusCode ?? 0)),
    );
    expect(refused).toBe(401);
    const fresh = await stack.web.db.user.findUniqueOrThrow({ where: { id: stack.userId } });
    cookie = `next-auth.session-token=${await encode({ token: { uid: fresh.id, sessionVersion: fresh.sessionVersion }, secret: SECRET })}`;
  });

  it("ends a shell whose session ended in another web process at the next re-check", async () => {
    const c = connect({ command: ["cat"] });
    await c.opened;
    const t0 = Date.now();
    await stack.web.db.user.update({ where: { id: stack.userId }, data: { sessionVersion: { increment: 1 } } });
    const closed = await c.closed;
    expect(closed.code).toBe(SHELL_CLOSE.sessionEnded);
    expect(closed.at - t0).toBeLessThan(2_000);
    const fresh = await stack.web.db.user.findUniqueOrThrow({ where: { id: stack.userId } });
    cookie = `next-auth.session-token=${await encode({ token: { uid: fresh.id, sessionVersion: fresh.sessionVersion }, secret: SECRET })}`;
  });

  it("refuses another site's page and a missing session before upgrading; caps open shells per user", async () => {
    const status = (c: Client) =>
      new Promise<number>((r) => c.ws.on("unexpected-response", (_req, res) => r(res.statusCode ?? 0)));
    expect(await status(connect({ command: ["cat"] }, { origin: "https://evil.example", cookie }))).toBe(403);
    expect(await status(connect({ command: ["cat"] }, { origin: `http://${base}` }))).toBe(401);

    const a = connect({ command: ["cat"] });
    const b = connect({ command: ["cat"] });
    await Promise.all([a.opened, b.opened]);
    const third = connect({ command: ["cat"] });
    expect((await third.closed).code).toBe(SHELL_CLOSE.tooMany);
    a.ws.close();
    b.ws.close();
    await Promise.all([a.closed, b.closed]);
  });

  it("says at once that an agent is not connected", async () => {
    const { registerAgent } = await import("@/lib/agents");
    const project = await stack.web.db.project.findFirstOrThrow({ where: { ownerUserId: stack.userId } });
    const idle = await registerAgent(stack.web.db, { id: stack.userId, isAdmin: false }, project.id, {
      name: "asleep",
    });
    const t0 = Date.now();
    const c = connect({ command: ["cat"], agentId: idle.id });
    const closed = await c.closed;
    expect(closed.code).toBe(SHELL_CLOSE.notConnected);
    expect(closed.reason).toBe("the agent is not connected (it never connected)");
    expect(closed.at - t0).toBeLessThan(3_000);
  });
});
