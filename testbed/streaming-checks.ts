// The streaming verbs as a user runs them with the real kubectl (logs, logs -f, exec, attach,
// port-forward), written once and checked both straight against the testbed
// (testbed/streaming.int.test.ts) and through kas's k8s-proxy (kas/k8s-proxy/k8s-proxy.int.test.ts).
import { execFile, spawn, type ChildProcess } from "node:child_process";
import fs from "node:fs";
import net from "node:net";
import path from "node:path";
import { expect } from "vitest";
import { appendContainerLog, type TestbedStreams } from "./cluster";

export interface Kubectl {
  run(args: string[], input?: string): Promise<{ code: number; stdout: string; stderr: string }>;
  stream(args: string[]): KubectlStream;
}

export interface KubectlStream {
  child: ChildProcess;
  readonly stdout: string;
  /** Resolves with the first match of `re` in stdout; fails if kubectl exits first or after `ms`. */
  waitFor(re: RegExp, ms?: number): Promise<RegExpMatchArray>;
  stop(): Promise<void>;
}

/**
 * Writes a kubeconfig (mode 0600) that points kubectl at kas's k8s-proxy with one credential, the way
 * the product's own kubeconfig route does; returns its path.
 */
export function writeProxyKubeconfig(opts: {
  dir: string;
  name: string;
  port: number;
  caFile: string;
  credential: string;
  namespace?: string;
}): string {
  const file = path.join(opts.dir, `${opts.name}.kubeconfig`);
  const cfg = {
    apiVersion: "v1",
    kind: "Config",
    clusters: [
      {
        name: "tether",
        cluster: {
          server: `https://127.0.0.1:${opts.port}`,
          "certificate-authority-data": fs.readFileSync(opts.caFile).toString("base64"),
        },
      },
    ],
    users: [{ name: opts.name, user: { token: opts.credential } }],
    contexts: [
      { name: "tether", context: { cluster: "tether", user: opts.name, namespace: opts.namespace ?? "default" } },
    ],
    "current-context": "tether",
  };
  fs.writeFileSync(file, JSON.stringify(cfg), { mode: 0o600 });
  return file;
}

/** The built kubectl with one kubeconfig. */
export function kubectlWith(kubectlPath: string, kubeconfig: string): Kubectl {
  return {
    run(args, input) {
      return new Promise((resolve) => {
        const child = execFile(
          kubectlPath,
          ["--kubeconfig", kubeconfig, ...args],
          { timeout: 30_000 },
          (err, stdout, stderr) => {
            resolve({ code: err ? (typeof err.code === "number" ? err.code : -1) : 0, stdout, stderr });
          },
        );
        if (input !== undefined) child.stdin?.end(input);
      });
    },
    stream(args) {
      const child: ChildProcess = spawn(kubectlPath, ["--kubeconfig", kubeconfig, ...args], {
        stdio: ["pipe", "pipe", "pipe"],
      });
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
      child.stdout?.on("data", (c: Buffer) => {
        stdout += c.toString();
        check();
      });
      child.stderr?.on("data", (c: Buffer) => {
        stderr += c.toString();
      });
      const exited = new Promise<number | null>((r) => child.on("exit", (code) => r(code)));
      return {
        child,
        get stdout() {
          return stdout;
        },
        waitFor(re, ms = 20_000) {
          return new Promise((resolve, reject) => {
            const timer = setTimeout(
              () =>
                reject(
                  new Error(
                    `no ${re} in kubectl output within ${ms}ms; stdout=${JSON.stringify(stdout)} stderr=${JSON.stringify(stderr)}`,
                  ),
                ),
              ms,
            );
            waiters.push({
              re,
              resolve: (m) => {
                clearTimeout(timer);
                resolve(m);
              },
            });
            void exited.then((code) => {
              clearTimeout(timer);
              reject(
                new Error(
                  `kubectl exited with ${code} before ${re}; stdout=${JSON.stringify(stdout)} stderr=${JSON.stringify(stderr)}`,
                ),
              );
            });
            check();
          });
        },
        async stop() {
          if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
          await exited;
        },
      };
    },
  };
}

/** `kubectl logs` prints the container's log lines (and --tail works). */
export async function checkLogs(k: Kubectl, streams: TestbedStreams, ns: string, pod: string): Promise<void> {
  const res = await k.run(["-n", ns, "logs", pod]);
  expect(res).toMatchObject({ code: 0, stderr: "" });
  // Every container shares one log, and other tests append to it: it starts with the initial lines.
  const lines = res.stdout.split("\n").filter(Boolean);
  expect(lines.slice(0, streams.initialLogLines.length)).toEqual(streams.initialLogLines);
  const tail = await k.run(["-n", ns, "logs", pod, "--tail=1"]);
  expect(tail.stdout).toBe(`${lines.at(-1)}\n`);
}

/** `kubectl logs -f` prints the log, then lines written later, until stopped. */
export async function checkFollow(k: Kubectl, streams: TestbedStreams, ns: string, pod: string): Promise<void> {
  const follow = k.stream(["-n", ns, "logs", "-f", pod]);
  try {
    await follow.waitFor(new RegExp(streams.initialLogLines.join("\n")));
    const line = `followed line ${Date.now()}`;
    await appendContainerLog(streams, line);
    await follow.waitFor(new RegExp(line));
    expect(follow.child.exitCode).toBeNull();
  } finally {
    await follow.stop();
  }
}

/** `kubectl exec` runs an allowed command (also with stdin) and nothing else. */
export async function checkExec(k: Kubectl, streams: TestbedStreams, ns: string, pod: string): Promise<void> {
  expect(await k.run(["-n", ns, "exec", pod, "--", "echo", "hello"])).toMatchObject({ code: 0, stdout: "hello\n" });
  // stdin reaches the command (a command that stops by itself: kwok does not pass on the end of stdin)
  expect(await k.run(["-n", ns, "exec", "-i", pod, "--", "head", "-n", "1"], "ping\n")).toMatchObject({
    code: 0,
    stdout: "ping\n",
  });
  expect(streams.execCommands).not.toContain("ls");
  const denied = await k.run(["-n", ns, "exec", pod, "--", "ls", "/"]);
  expect(denied.code).not.toBe(0);
  expect(denied.stdout).toBe("");
}

/** `kubectl attach` shows lines the container writes after attaching. */
export async function checkAttach(k: Kubectl, streams: TestbedStreams, ns: string, pod: string): Promise<void> {
  const attach = k.stream(["-n", ns, "attach", pod]);
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
}

/** `kubectl port-forward` reaches a local TCP server (the testbed's port-forward target) through the pod's port. */
export async function checkPortForward(k: Kubectl, streams: TestbedStreams, ns: string, pod: string): Promise<void> {
  const { host, port } = streams.portForwardTarget;
  const conns = new Set<net.Socket>();
  const server = net.createServer((sock) => {
    conns.add(sock);
    sock.on("close", () => conns.delete(sock));
    sock.on("data", (d) => sock.write(`pong:${d.toString()}`));
  });
  await new Promise<void>((resolve, reject) => server.once("error", reject).listen(port, host, resolve));
  const pf = k.stream(["-n", ns, "port-forward", `pod/${pod}`, "--address", "127.0.0.1", ":8080"]);
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
}
