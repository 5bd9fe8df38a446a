// Runs after every other spec (its own Playwright project): no line that web, kas, an agent or another web
// replica printed in this run, at the most verbose level, holds a token, secret, session cookie or password.
// It looks for each secret the specs saw minted (helpers.ts records them), and for anything shaped like one
// (scripts/log-scan.ts: a Tether secret, a JWT or JWE, session cookies and web ↔ kas tokens among them).
import fs from "node:fs";
import path from "node:path";
import { expect, test } from "./test";
import { scanLogs, type LogFile } from "../scripts/log-scan";
import { DELIBERATE_VIOLATION_HOST } from "./helpers";
import { e2eServer } from "./product-server";
/** Passwords the specs type (helpers.ts's newUser, auth.spec.ts's first administrator, security.spec.ts's new one). */
const PASSWORDS = ["correct horse battery", "analytical engine 1843", "a brand new password"];

function readLogs(): LogFile[] {
  const files: LogFile[] = [];
  const read = (file: string, name: string) =>
    files.push({ name, lines: fs.readFileSync(file, "utf8").split("\n").filter(Boolean) });
  read(e2eServer.logFile, "product.log (web and kas)");
  for (const dir of [e2eServer.agentLogDir, e2eServer.replicaLogDir])
    if (fs.existsSync(dir)) for (const f of fs.readdirSync(dir).sort()) read(path.join(dir, f), f);
  return files;
}

test("no log line of the whole run holds a token, secret, session cookie or password", async () => {
  const minted = [...new Set(fs.readFileSync(e2eServer.mintedSecretsFile, "utf8").split("\n").filter(Boolean))];
  const logs = readLogs();
  const product = logs[0]!.lines;

  // The scan is not vacuous: the run minted secrets of several kinds, and web and kas logged at info level.
  const kinds = new Set(minted.map((s) => /^tthr_([a-z]+)_/.exec(s)?.[1] ?? "session"));
  expect([...kinds].sort()).toEqual(expect.arrayContaining(["agent", "pat", "session"]));
  const levels = (n: number) => product.filter((l) => l.startsWith(`{"level":${n},`)).length;
  expect(levels(30)).toBeGreaterThan(0);
  expect(product.some((l) => l.includes('"service":"kas"'))).toBe(true);

  const findings = scanLogs(logs, minted, PASSWORDS).map((f) => `${f.where}: ${f.what} ${f.excerpt}`);
  const lineCount = logs.reduce((n, f) => n + f.lines.length, 0);
  test.info().annotations.push({
    type: "scanned",
    description: `${minted.length} secrets minted (${[...kinds].sort().join(", ")}); ${lineCount} log lines in ${logs.length} files (product: ${levels(20)} debug, ${levels(30)} info, ${levels(40)} warn, ${levels(50)} error)`,
  });
  console.log(`log scan: ${test.info().annotations.at(-1)!.description}`);
  expect(findings).toEqual([]);
});

test("no page reported a Content-Security-Policy violation during the whole run but the one security.spec.ts makes on purpose", async () => {
  // Web replicas (web-replicas.spec.ts) log the reports their pages send them.
  const reported = readLogs()
    .filter((f) => !f.name.endsWith("-agent.log"))
    .flatMap((f) => f.lines)
    .filter((l) => l.includes('"event":"csp_violation"'));
  expect(reported.filter((l) => !l.includes(DELIBERATE_VIOLATION_HOST))).toEqual([]);
});
