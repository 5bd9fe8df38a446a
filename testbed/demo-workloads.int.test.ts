// `npm run demo`'s workloads on the real testbed: every kind the demo promises is there and in the state
// the views show (pods ready, the Job done, one pod in CrashLoopBackOff that stays so, a custom resource),
// and seeding again changes nothing.
import { afterAll, describe, expect, inject, it } from "vitest";
import { apiserverRequest } from "./cluster";
import { DEMO_CRD, DEMO_NAMESPACE, DEMO_OBJECTS, seedDemoWorkloads } from "./demo-workloads";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("the demo's workloads", { timeout: 180_000 }, () => {
  const tb = inject("testbed");
  const get = async <T>(url: string): Promise<T> => {
    const res = await apiserverRequest(tb, "GET", url);
    expect(res.status, `GET ${url}: ${res.body}`).toBe(200);
    return JSON.parse(res.body) as T;
  };
  const apps = `/apis/apps/v1/namespaces/${DEMO_NAMESPACE}`;
  const batch = `/apis/batch/v1/namespaces/${DEMO_NAMESPACE}`;
  const pods = `/api/v1/namespaces/${DEMO_NAMESPACE}/pods`;

  afterAll(async () => {
    await apiserverRequest(tb, "DELETE", `/api/v1/namespaces/${DEMO_NAMESPACE}`);
    await apiserverRequest(tb, "DELETE", `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${DEMO_CRD}`);
  });

  it("seeds a Deployment, a StatefulSet, a CronJob with a run, a crashing pod and a custom resource", async () => {
    const said: string[] = [];
    await seedDemoWorkloads(tb, (m) => said.push(m));
    expect(said.length).toBeGreaterThan(3);

    const deploy = await get<{ status: { readyReplicas: number } }>(`${apps}/deployments/${DEMO_OBJECTS.deployment}`);
    expect(deploy.status.readyReplicas).toBe(3);
    const sts = await get<{ status: { readyReplicas: number } }>(`${apps}/statefulsets/${DEMO_OBJECTS.statefulSet}`);
    expect(sts.status.readyReplicas).toBe(2);
    const cron = await get<{ spec: { schedule: string } }>(`${batch}/cronjobs/${DEMO_OBJECTS.cronJob}`);
    expect(cron.spec.schedule).toBe("0 2 * * *");

    // The CronJob's run finishes (kwok completes a Job's pod).
    const deadline = Date.now() + 60_000;
    let job: { metadata: { ownerReferences: { kind: string; name: string }[] }; status: { succeeded?: number } };
    for (;;) {
      job = await get(`${batch}/jobs/${DEMO_OBJECTS.cronJob}-manual`);
      if (job.status.succeeded === 1 || Date.now() > deadline) break;
      await sleep(500);
    }
    expect(job.status.succeeded).toBe(1);
    expect(job.metadata.ownerReferences).toMatchObject([{ kind: "CronJob", name: DEMO_OBJECTS.cronJob }]);

    // The crashing pod says so, and nothing in the testbed turns it back to ready.
    type Pod = {
      status: {
        conditions: { type: string; status: string }[];
        containerStatuses: { ready: boolean; restartCount: number; state: { waiting?: { reason: string } } }[];
      };
    };
    for (const wait of [0, 3_000]) {
      await sleep(wait);
      const pod = await get<Pod>(`${pods}/${DEMO_OBJECTS.failingPod}`);
      expect(pod.status.containerStatuses[0]).toMatchObject({
        ready: false,
        restartCount: 6,
        state: { waiting: { reason: "CrashLoopBackOff" } },
      });
      expect(pod.status.conditions.find((c) => c.type === "Ready")?.status).toBe("False");
    }
    const events = await get<{ items: { reason: string; involvedObject: { name: string } }[] }>(
      `/api/v1/namespaces/${DEMO_NAMESPACE}/events`,
    );
    expect(events.items.some((e) => e.reason === "BackOff" && e.involvedObject.name === DEMO_OBJECTS.failingPod)).toBe(
      true,
    );

    const backup = await get<{ spec: { target: string } }>(
      `/apis/demo.tether.dev/v1/namespaces/${DEMO_NAMESPACE}/backups/${DEMO_OBJECTS.backup}`,
    );
    expect(backup.spec.target).toBe(DEMO_OBJECTS.statefulSet);

    // The pods the views list: 3 + 2 running, the Job's done, the crashing one.
    const list = await get<{ items: { metadata: { name: string }; status: { phase: string } }[] }>(pods);
    const phases = list.items.map((p) => p.status.phase).sort();
    expect(phases.filter((p) => p === "Running")).toHaveLength(6);
    expect(phases.filter((p) => p === "Succeeded")).toHaveLength(1);
  });

  it("seeding again changes nothing", async () => {
    // The generation moves with every change of the spec (status updates by controllers do not move it).
    const rv = async () =>
      (await get<{ metadata: { generation: number } }>(`${apps}/deployments/${DEMO_OBJECTS.deployment}`)).metadata
        .generation;
    const before = await rv();
    const pod = async () =>
      (await get<{ metadata: { uid: string } }>(`${pods}/${DEMO_OBJECTS.failingPod}`)).metadata.uid;
    const podBefore = await pod();
    await seedDemoWorkloads(tb);
    expect(await rv()).toBe(before);
    expect(await pod()).toBe(podBefore);
  });
});
