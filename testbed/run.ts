// Runs the testbed's build commands (go build, go mod ...) and turns a failure into an error that
// carries the tail of the command's output.
import { spawn } from "node:child_process";

export class TestbedStepError extends Error {
  constructor(
    readonly step: string,
    message: string,
    readonly logTail: string,
    /** The command's whole output (at most its last megabyte). */
    readonly output: string = logTail,
  ) {
    super(`testbed step "${step}" failed: ${message}\n--- last lines of its log ---\n${logTail}`);
  }
}

export function tail(text: string, lines = 30): string {
  return text.split("\n").slice(-lines).join("\n");
}

interface RunOptions {
  cwd: string;
  env?: Record<string, string>;
  /** Called with each stderr/stdout line, for progress. */
  onLine?: (line: string) => void;
}

/** Runs a command to completion; on failure throws TestbedStepError carrying the tail of its output. */
export function run(step: string, cmd: string, args: string[], opts: RunOptions): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, {
      cwd: opts.cwd,
      env: { ...process.env, ...opts.env },
      stdio: ["ignore", "pipe", "pipe"],
    });
    let out = "";
    let partial = "";
    const onData = (buf: Buffer) => {
      const s = buf.toString();
      out += s;
      if (out.length > 1_000_000) out = out.slice(-500_000);
      if (opts.onLine) {
        partial += s;
        const lines = partial.split("\n");
        partial = lines.pop() ?? "";
        for (const l of lines) opts.onLine(l);
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("error", (e) => reject(new TestbedStepError(step, `${cmd} could not start: ${e.message}`, "")));
    child.on("close", (code) => {
      if (code === 0) resolve(out);
      else
        reject(
          new TestbedStepError(step, `${cmd} ${args.slice(0, 3).join(" ")} … exited with ${code}`, tail(out), out),
        );
    });
  });
}

export type Log = (msg: string) => void;
