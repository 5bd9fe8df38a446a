import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { logTail, startProcess, type Started } from "./cluster";

const exited = (p: Started) =>
  new Promise<void>((resolve) => (p.exited ? resolve() : p.child.once("exit", () => resolve())));

describe("a process started again", () => {
  it("has a log tail of its own output only, though both starts append to one file", async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), "tether-process-log-"));
    fs.mkdirSync(path.join(dir, "logs"));
    try {
      const first = startProcess("p", "/bin/sh", ["-c", "echo fatal error: the first start"], dir, false);
      await exited(first);
      const second = startProcess("p", "/bin/sh", ["-c", "echo the second start"], dir, false);
      await exited(second);
      expect(await logTail(first)).toContain("the first start");
      expect(await logTail(second)).toContain("the second start");
      expect(await logTail(second)).not.toContain("first start");
      expect(fs.readFileSync(first.logFile, "utf8")).toContain("the first start");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
