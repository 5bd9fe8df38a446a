// `helm upgrade --install` of Tether's chart on the testbed (a real API server, scheduler and controllers; kwok
// plays the node, so pods turn Ready and Job pods complete without running the images): the migration Job runs
// before the release's objects are created and is removed once it succeeded, an upgrade runs it again and keeps
// the secrets the chart generated, and an uninstall leaves the Secret holding them.
import { spawn } from "node:child_process";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { ensureHelm } from "../../testbed/helm";

const chartDir = __dirname;
const NS = "tether-install-test";
const DB_URL = "postgres://tether:s3cret-install-pw@postgres.example.test:5432/tether";

interface Result {
  code: number | null;
  stdout: string;
  stderr: string;
}

function exec(cmd: string, args: string[]): Promise<Result> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (b: Buffer) => (stdout += b.toString()));
    child.stderr.on("data", (b: Buffer) => (stderr += b.toString()));
    child.on("error", reject);
    child.on("close", (code) => resolve({ code, stdout, stderr }));
  });
}

interface Event {
  reason: string;
  involvedObject: { kind: string; name: string };
  firstTimestamp?: string;
  eventTime?: string;
  metadata: { creationTimestamp: string };
}

describe("installing Tether's chart on the testbed", () => {
  const tb = inject("testbed");
  let helm = "";
  const kubectl = (args: string[]) => exec(tb.kubectlPath, ["--kubeconfig", tb.kubeconfig, "-n", NS, ...args]);
  const helmRun = (args: string[]) => exec(helm, ["--kubeconfig", tb.kubeconfig, "-n", NS, ...args]);
  const getJson = async <T>(args: string[]): Promise<T> => {
    const r = await kubectl(["get", ...args, "-o", "json"]);
    expect(r.stderr, args.join(" ")).toBe("");
    return JSON.parse(r.stdout) as T;
  };
  const install = (extra: string[] = []) =>
    helmRun([
      "upgrade",
      "--install",
      "tether",
      chartDir,
      "-f",
      path.join(chartDir, "values-minimal.yaml"),
      "--set",
      `secrets.databaseUrl=${DB_URL}`,
      // A LoadBalancer would wait for an address no testbed hands out.
      "--set",
      "kas.service.type=ClusterIP",
      "--wait",
      "--timeout",
      "180s",
      ...extra,
    ]);
  const secretData = async () => (await getJson<{ data: Record<string, string> }>(["secret", "tether-secrets"])).data;
  const migrationsCompleted = async () =>
    (await getJson<{ items: Event[] }>(["events", "--field-selector", "involvedObject.kind=Job"])).items.filter(
      (e) => e.involvedObject.name === "tether-migrate" && e.reason === "Completed",
    );

  beforeAll(async () => {
    helm = await ensureHelm();
    const ns = await exec(tb.kubectlPath, ["--kubeconfig", tb.kubeconfig, "create", "namespace", NS]);
    expect(ns.stderr).toBe("");
  }, 20 * 60_000);
  afterAll(async () => {
    await helmRun(["uninstall", "tether", "--wait"]).catch(() => undefined);
    await exec(tb.kubectlPath, ["--kubeconfig", tb.kubeconfig, "delete", "namespace", NS, "--wait=false"]);
  });

  it("runs the migration Job first, removes it and its Secret once done, then rolls out web and kas", async () => {
    const r = await install();
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("STATUS: deployed");
    // The notes say what to do next (where kas is, the CA agents need) and show no secret.
    expect(r.stdout).toContain(`kubectl -n ${NS} rollout status deployment/tether-web deployment/tether-kas`);
    expect(r.stdout).toContain(`kubectl -n ${NS} get service tether-kas`);
    expect(r.stdout).toContain(`kubectl -n ${NS} get secret tether-kas-tls -o jsonpath='{.data.tls\\.crt}'`);
    expect(r.stdout).not.toContain("s3cret-install-pw");

    const completed = await migrationsCompleted();
    expect(completed).toHaveLength(1);
    for (const gone of [
      ["job", "tether-migrate"],
      ["secret", "tether-migrate"],
    ]) {
      const g = await kubectl(["get", ...gone]);
      expect(g.code, gone.join("/")).not.toBe(0);
      expect(g.stderr).toContain("NotFound");
    }
    // The Deployments were created after the migrations completed.
    const jobDone = Date.parse(completed[0]!.firstTimestamp ?? completed[0]!.eventTime ?? "");
    for (const name of ["tether-web", "tether-kas"]) {
      const dep = await getJson<{
        metadata: { creationTimestamp: string };
        status: { readyReplicas?: number };
      }>(["deployment", name]);
      expect(Date.parse(dep.metadata.creationTimestamp), name).toBeGreaterThanOrEqual(jobDone);
      expect(dep.status.readyReplicas, name).toBe(1);
    }
  });

  it("an upgrade runs the migrations again and keeps the generated secrets (sessions and sealed keys survive)", async () => {
    const before = await secretData();
    const web = await getJson<{ spec: { template: { metadata: { annotations: Record<string, string> } } } }>([
      "deployment",
      "tether-web",
    ]);
    const r = await install();
    expect(r.stderr).toBe("");
    expect(r.code).toBe(0);
    expect(r.stdout).toContain("REVISION: 2");
    expect(await migrationsCompleted()).toHaveLength(2);
    const after = await secretData();
    expect(after).toEqual(before);
    // Same values: the pods do not roll.
    const webAfter = await getJson<typeof web>(["deployment", "tether-web"]);
    expect(webAfter.spec.template.metadata.annotations["checksum/config"]).toBe(
      web.spec.template.metadata.annotations["checksum/config"],
    );
    // The self-signed kas certificate is kept too (agents trust it).
    const tls = await getJson<{ data: Record<string, string> }>(["secret", "tether-kas-tls"]);
    expect(tls.data["tls.crt"]).toBeTruthy();
    const again = await install();
    expect(again.code).toBe(0);
    expect((await getJson<{ data: Record<string, string> }>(["secret", "tether-kas-tls"])).data).toEqual(tls.data);
  });

  it("uninstalling keeps the Secret with the generated keys (a reinstall can still read what they sealed)", async () => {
    const r = await helmRun(["uninstall", "tether", "--wait"]);
    expect(r.code).toBe(0);
    expect(r.stdout + r.stderr).toMatch(/kept due to the resource policy/);
    const dep = await kubectl(["get", "deployment", "tether-web"]);
    expect(dep.stderr).toContain("NotFound");
    expect(Object.keys(await secretData()).sort()).toEqual([
      "database-url",
      "kas-peer-secret",
      "kas-shared-secret",
      "nextauth-secret",
      "receptive-encryption-key",
    ]);
  });
});
