// The testbed serves the streaming verbs for pods on its kwok node: the built kubectl gets logs (also
// followed), runs a command with exec, attaches, and port-forwards to a local TCP server. kwok plays the
// kubelet; the rules it follows are in testbed/cluster.ts (TestbedStreams).
import { execFile, spawn, type ChildProcess } from "node:child_process";
import net from "node:net";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { apiserverRequest, appendContainerLog, startPod } from "./cluster";

const tb = inject("testbed");

function kubectl(args: string[], input?: string): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = execFile(tb.kubectlPath, ["--kubeconfig", tb.kubeconfig, ...args], { timeout: 30_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? (typeof err.code === "number" ? err.code : -1) : 0, stdout, stderr });
    });
    if (input !== undefined) child.stdin?.end(input);
  });
}

/** A long-running kubectl whose output a test waits on; always killed in `finally`. */
function kubectlStream(args: string[]) {
  const child: ChildProcess = spawn(tb.kubectlPath, ["--kubeconfig", tb.kubeconfig, ...args], { stdio: ["pipe", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  const waiters: { re: RegExp; resolve: (m: RegExpMatchArray) => void }[] = [];
  const check = () => {
    for (const w of [...waiters]) {
      const m = stdout.match(w.re);
      if (m) {
        waiters.splice(waiters.indexOf(w), 1);
        w.resolve(m);
      }
    }
  };
  child.stdout?.on("data", (c: Buffer) => { stdout += c.toString(); check(); });
  child.stderr?.on("data", (c: Buffer) => { stderr += c.toString(); });
  const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
  return {
    child,
    get stdout() { return stdout; },
    /** Resolves with the first match of `re` in stdout; fails if kubectl exits first or after `ms`. */
    waitFor(re: RegExp, ms = 20_000): Promise<RegExpMatchArray> {
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error(`no ${re} in kubectl output within ${ms}ms; stdout=${JSON.stringify(stdout)} stderr=${JSON.stringify(stderr)}`)), ms);
        waiters.push({ re, resolve: (m) => { clearTimeout(timer); resolve(m); } });
        void exited.then((code) => {
          clearTimeout(timer);
          reject(new Error(`kubectl exited with ${code} before ${re}; stdout=${JSON.stringify(stdout)} stderr=${JSON.stringify(stderr)}`));
        });
        check();
      });
    },
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

describe("testbed streaming verbs (kwok as the kubelet)", () => {
  const ns = `streams-${Date.now().toString(36)}`;
  const pod = "streamer";
  const streams = tb.streams;
  if (!streams) throw new Error("the integration testbed runs workloads, so it must describe its streams");

  beforeAll(async () => {
    const res = await apiserverRequest(tb, "POST", "/api/v1/namespaces", { metadata: { name: ns } });
    expect(res.status).toBe(201);
    await startPod(tb, ns, pod);
  });
  afterAll(async () => {
    await apiserverRequest(tb, "DELETE", `/api/v1/namespaces/${ns}`).catch(() => {});
  });

  it("kubectl logs prints the container's log lines", async () => {
    const res = await kubectl(["-n", ns, "logs", pod]);
    expect(res).toMatchObject({ code: 0, stderr: "" });
    expect(res.stdout.split("\n").filter(Boolean)).toEqual(streams.initialLogLines);
    const tail = await kubectl(["-n", ns, "logs", pod, "--tail=1"]);
    expect(tail.stdout).toBe(`${streams.initialLogLines.at(-1)}\n`);
  });

  it("kubectl logs -f prints the log, then lines written later, until stopped", async () => {
    const follow = kubectlStream(["-n", ns, "logs", "-f", pod]);
    try {
      await follow.waitFor(new RegExp(streams.initialLogLines.join("\n")));
      const line = `followed line ${Date.now()}`;
      await appendContainerLog(streams, line);
      await follow.waitFor(new RegExp(line));
      expect(follow.child.exitCode).toBeNull();
    } finally {
      await follow.stop();
    }
  });

  it("kubectl exec runs an allowed command and nothing else", async () => {
    expect(await kubectl(["-n", ns, "exec", pod, "--", "echo", "hello"])).toMatchObject({ code: 0, stdout: "hello\n" });
    // stdin reaches the command (a command that stops by itself: kwok does not pass on the end of stdin)
    expect(await kubectl(["-n", ns, "exec", "-i", pod, "--", "head", "-n", "1"], "ping\n")).toMatchObject({ code: 0, stdout: "ping\n" });
    expect(streams.execCommands).not.toContain("ls");
    const denied = await kubectl(["-n", ns, "exec", pod, "--", "ls", "/"]);
    expect(denied.code).not.toBe(0);
    expect(denied.stdout).toBe("");
  });

  it("kubectl attach shows lines the container writes after attaching", async () => {
    const attach = kubectlStream(["-n", ns, "attach", pod]);
    try {
      // Attaching only shows new lines; keep writing until one arrives (the attach may not be set up yet).
      const line = `attached line ${Date.now()}`;
      const seen = attach.waitFor(new RegExp(line));
      const writer = setInterval(() => void appendContainerLog(streams, line), 500);
      try {
        await seen;
      } finally {
        clearInterval(writer);
      }
    } finally {
      await attach.stop();
    }
  });

  it("kubectl port-forward reaches a local TCP server through the pod's port", async () => {
    const { host, port } = streams.portForwardTarget;
    const conns = new Set<net.Socket>();
    const server = net.createServer((sock) => {
      conns.add(sock);
      sock.on("close", () => conns.delete(sock));
      sock.on("data", (d) => sock.write(`pong:${d.toString()}`));
    });
    await new Promise<void>((resolve, reject) => server.once("error", reject).listen(port, host, resolve));
    const pf = kubectlStream(["-n", ns, "port-forward", `pod/${pod}`, "--address", "127.0.0.1", ":8080"]);
    try {
      const [, localPort] = await pf.waitFor(/Forwarding from 127\.0\.0\.1:(\d+) -> 8080/);
      const reply = await new Promise<string>((resolve, reject) => {
        const sock = net.connect(Number(localPort), "127.0.0.1", () => sock.write("ping"));
        let got = "";
        sock.on("data", (d) => {
          got += d.toString();
          if (got.length >= "pong:ping".length) {
            sock.destroy();
            resolve(got);
          }
        });
        sock.on("error", reject);
        setTimeout(() => reject(new Error(`no reply through the forwarded port; got ${JSON.stringify(got)}`)), 15_000);
      });
      expect(reply).toBe("pong:ping");
    } finally {
      await pf.stop();
      // kwok keeps its connection to the target open after the forwarded one ends: cut it here.
      for (const c of conns) c.destroy();
      await new Promise((r) => server.close(r));
    }
  });
});
