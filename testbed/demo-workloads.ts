// `npm run demo`'s workloads, so that every view of the agent's cluster has something to show: in the
// namespace demo-shop a Deployment (3 pods), a StatefulSet (2 pods, headless Service), a CronJob with one
// Job already run, a pod that keeps crashing (CrashLoopBackOff, with its BackOff event), and a custom
// resource (CRD backups.demo.tether.dev and one Backup). Pods run on the kwok node; kwok never restarts a
// container, so the crashing pod's status is written as a kubelet would write it. Applied with server-side
// apply, so running it again changes nothing.
import { apiserverRequest, FAKE_NODE_NAME, type TestbedState } from "./cluster";

type Tb = Pick<TestbedState, "server" | "caFile" | "adminToken">;

export const DEMO_NAMESPACE = "demo-shop";
export const DEMO_CRD = "backups.demo.tether.dev";
export const DEMO_OBJECTS = {
  deployment: "storefront",
  statefulSet: "orders-db",
  cronJob: "nightly-report",
  failingPod: "payments-worker",
  backup: "orders-db-nightly",
} as const;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const FIELD_MANAGER = "tether-demo";
const image = (name: string, tag: string) => `registry.invalid/demo/${name}:${tag}`;

async function call(tb: Tb, method: string, urlPath: string, body?: unknown, contentType?: string): Promise<string> {
  const res = await apiserverRequest(tb, method, urlPath, body, contentType);
  if (res.status >= 300) throw new Error(`demo workloads: ${method} ${urlPath} answered ${res.status}: ${res.body}`);
  return res.body;
}

/** Server-side apply of one object at its own URL (created when missing, unchanged when equal). */
interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; [key: string]: unknown };
  [key: string]: unknown;
}

async function apply(tb: Tb, collection: string, obj: KubeObject): Promise<void> {
  await call(
    tb,
    "PATCH",
    `${collection}/${obj.metadata.name}?fieldManager=${FIELD_MANAGER}&force=true`,
    obj,
    "application/apply-patch+yaml",
  );
}

async function until<T>(what: string, check: () => Promise<T | undefined>, timeoutMs: number): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown;
  for (;;) {
    try {
      const v = await check();
      if (v !== undefined) return v;
    } catch (e) {
      last = e;
    }
    if (Date.now() > deadline)
      throw new Error(`demo workloads: ${what} not reached in ${timeoutMs / 1000}s${last ? ` (${String(last)})` : ""}`);
    await sleep(250);
  }
}

async function getJson<T>(tb: Tb, urlPath: string): Promise<T | undefined> {
  const res = await apiserverRequest(tb, "GET", urlPath);
  return res.status === 200 ? (JSON.parse(res.body) as T) : undefined;
}

const ns = `/api/v1/namespaces/${DEMO_NAMESPACE}`;
const apps = `/apis/apps/v1/namespaces/${DEMO_NAMESPACE}`;
const batch = `/apis/batch/v1/namespaces/${DEMO_NAMESPACE}`;

function podTemplate(app: string, tag: string, extra: Record<string, unknown> = {}) {
  return {
    metadata: { labels: { app } },
    spec: {
      nodeSelector: { type: "kwok" },
      tolerations: [{ key: "kwok.x-k8s.io/node", operator: "Exists", effect: "NoSchedule" }],
      containers: [{ name: "main", image: image(app, tag), ...extra }],
    },
  };
}

/** Creates (or leaves as they are) the demo's workloads and waits until their pods are where the demo shows them. */
export async function seedDemoWorkloads(tb: Tb, log: (m: string) => void = () => {}, timeoutMs = 90_000) {
  await apply(tb, "/api/v1/namespaces", {
    apiVersion: "v1",
    kind: "Namespace",
    metadata: { name: DEMO_NAMESPACE, labels: { "app.kubernetes.io/part-of": "tether-demo" } },
  });

  log(`${DEMO_NAMESPACE}: Deployment ${DEMO_OBJECTS.deployment}, StatefulSet ${DEMO_OBJECTS.statefulSet}, Services`);
  await apply(tb, `${ns}/services`, {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: DEMO_OBJECTS.deployment, namespace: DEMO_NAMESPACE },
    spec: { selector: { app: DEMO_OBJECTS.deployment }, ports: [{ name: "http", port: 80, targetPort: 8080 }] },
  });
  await apply(tb, `${apps}/deployments`, {
    apiVersion: "apps/v1",
    kind: "Deployment",
    metadata: { name: DEMO_OBJECTS.deployment, namespace: DEMO_NAMESPACE, labels: { app: DEMO_OBJECTS.deployment } },
    spec: {
      replicas: 3,
      selector: { matchLabels: { app: DEMO_OBJECTS.deployment } },
      template: podTemplate(DEMO_OBJECTS.deployment, "1.4.2", { ports: [{ containerPort: 8080, name: "http" }] }),
    },
  });
  await apply(tb, `${ns}/services`, {
    apiVersion: "v1",
    kind: "Service",
    metadata: { name: DEMO_OBJECTS.statefulSet, namespace: DEMO_NAMESPACE },
    spec: {
      clusterIP: "None",
      selector: { app: DEMO_OBJECTS.statefulSet },
      ports: [{ name: "postgres", port: 5432 }],
    },
  });
  await apply(tb, `${apps}/statefulsets`, {
    apiVersion: "apps/v1",
    kind: "StatefulSet",
    metadata: { name: DEMO_OBJECTS.statefulSet, namespace: DEMO_NAMESPACE, labels: { app: DEMO_OBJECTS.statefulSet } },
    spec: {
      serviceName: DEMO_OBJECTS.statefulSet,
      replicas: 2,
      selector: { matchLabels: { app: DEMO_OBJECTS.statefulSet } },
      template: podTemplate(DEMO_OBJECTS.statefulSet, "16.4", { ports: [{ containerPort: 5432, name: "postgres" }] }),
    },
  });

  log(`${DEMO_NAMESPACE}: CronJob ${DEMO_OBJECTS.cronJob} and its first Job`);
  const pod = podTemplate(DEMO_OBJECTS.cronJob, "2.0");
  const jobPod = { ...pod, spec: { ...pod.spec, restartPolicy: "Never" } };
  await apply(tb, `${batch}/cronjobs`, {
    apiVersion: "batch/v1",
    kind: "CronJob",
    metadata: { name: DEMO_OBJECTS.cronJob, namespace: DEMO_NAMESPACE },
    spec: {
      schedule: "0 2 * * *",
      jobTemplate: { spec: { template: jobPod } },
    },
  });
  const cron = await until(
    "the CronJob",
    () => getJson<{ metadata: { uid: string } }>(tb, `${batch}/cronjobs/${DEMO_OBJECTS.cronJob}`),
    timeoutMs,
  );
  // As `kubectl create job --from=cronjob/nightly-report`: a Job owned by the CronJob, so the view has a run.
  const jobName = `${DEMO_OBJECTS.cronJob}-manual`;
  await apply(tb, `${batch}/jobs`, {
    apiVersion: "batch/v1",
    kind: "Job",
    metadata: {
      name: jobName,
      namespace: DEMO_NAMESPACE,
      annotations: { "cronjob.kubernetes.io/instantiate": "manual" },
      ownerReferences: [
        {
          apiVersion: "batch/v1",
          kind: "CronJob",
          name: DEMO_OBJECTS.cronJob,
          uid: cron.metadata.uid,
          controller: true,
        },
      ],
    },
    spec: { template: jobPod },
  });

  log(`${DEMO_NAMESPACE}: pod ${DEMO_OBJECTS.failingPod} (CrashLoopBackOff)`);
  await seedFailingPod(tb, timeoutMs);

  log(`custom resource: CRD ${DEMO_CRD} and Backup ${DEMO_OBJECTS.backup}`);
  await apply(tb, "/apis/apiextensions.k8s.io/v1/customresourcedefinitions", {
    apiVersion: "apiextensions.k8s.io/v1",
    kind: "CustomResourceDefinition",
    metadata: { name: DEMO_CRD },
    spec: {
      group: "demo.tether.dev",
      scope: "Namespaced",
      names: { plural: "backups", singular: "backup", kind: "Backup", listKind: "BackupList" },
      versions: [
        {
          name: "v1",
          served: true,
          storage: true,
          schema: {
            openAPIV3Schema: {
              type: "object",
              properties: {
                spec: {
                  type: "object",
                  required: ["target", "schedule"],
                  properties: {
                    target: { type: "string", description: "The StatefulSet whose data is backed up" },
                    schedule: { type: "string", description: "Cron schedule" },
                    retentionDays: { type: "integer", minimum: 1 },
                  },
                },
              },
            },
          },
          additionalPrinterColumns: [
            { name: "Target", type: "string", jsonPath: ".spec.target" },
            { name: "Schedule", type: "string", jsonPath: ".spec.schedule" },
            { name: "Age", type: "date", jsonPath: ".metadata.creationTimestamp" },
          ],
        },
      ],
    },
  });
  await until(
    `CRD ${DEMO_CRD} Established`,
    async () => {
      const crd = await getJson<{ status?: { conditions?: { type: string; status: string }[] } }>(
        tb,
        `/apis/apiextensions.k8s.io/v1/customresourcedefinitions/${DEMO_CRD}`,
      );
      return crd?.status?.conditions?.some((c) => c.type === "Established" && c.status === "True") ? true : undefined;
    },
    timeoutMs,
  );
  await until(
    `Backup ${DEMO_OBJECTS.backup}`,
    async () => {
      await apply(tb, `/apis/demo.tether.dev/v1/namespaces/${DEMO_NAMESPACE}/backups`, {
        apiVersion: "demo.tether.dev/v1",
        kind: "Backup",
        metadata: { name: DEMO_OBJECTS.backup, namespace: DEMO_NAMESPACE },
        spec: { target: DEMO_OBJECTS.statefulSet, schedule: "0 3 * * *", retentionDays: 14 },
      });
      return true;
    },
    timeoutMs,
  );

  log(`${DEMO_NAMESPACE}: waiting for the pods`);
  await until(
    "Deployment storefront 3/3 and StatefulSet orders-db 2/2 ready",
    async () => {
      const d = await getJson<{ status?: { readyReplicas?: number } }>(
        tb,
        `${apps}/deployments/${DEMO_OBJECTS.deployment}`,
      );
      const s = await getJson<{ status?: { readyReplicas?: number } }>(
        tb,
        `${apps}/statefulsets/${DEMO_OBJECTS.statefulSet}`,
      );
      return d?.status?.readyReplicas === 3 && s?.status?.readyReplicas === 2 ? true : undefined;
    },
    timeoutMs,
  );
}

interface PodStatus {
  phase?: string;
  conditions?: { type: string; status: string }[];
  containerStatuses?: { state?: { waiting?: { reason?: string } } }[];
}

/** The crashing pod: created on the kwok node, then its status written as a kubelet's after six restarts. */
async function seedFailingPod(tb: Tb, timeoutMs: number): Promise<void> {
  const url = `${ns}/pods/${DEMO_OBJECTS.failingPod}`;
  const existing = await getJson<{ status?: PodStatus }>(tb, url);
  if (existing?.status?.containerStatuses?.[0]?.state?.waiting?.reason === "CrashLoopBackOff") return;
  if (!existing) {
    const tpl = podTemplate(DEMO_OBJECTS.failingPod, "0.9.1", {
      env: [{ name: "PAYMENTS_API_URL", value: "https://payments.invalid" }],
    });
    await call(tb, "POST", `${ns}/pods`, {
      apiVersion: "v1",
      kind: "Pod",
      metadata: { name: DEMO_OBJECTS.failingPod, namespace: DEMO_NAMESPACE, labels: tpl.metadata.labels },
      spec: { ...tpl.spec, nodeName: FAKE_NODE_NAME },
    });
  }
  // kwok first makes it Running; written before that, its status would be replaced.
  const started = await until(
    `pod ${DEMO_OBJECTS.failingPod} started by kwok`,
    async () => {
      const pod = await getJson<{ status?: PodStatus & { startTime?: string } }>(tb, url);
      return pod?.status?.phase === "Running" ? pod.status : undefined;
    },
    timeoutMs,
  );
  const now = new Date();
  const ago = (s: number) => new Date(now.getTime() - s * 1000).toISOString();
  await call(
    tb,
    "PATCH",
    `${url}/status`,
    {
      status: {
        phase: "Running",
        conditions: [
          { type: "Initialized", status: "True", lastTransitionTime: started.startTime ?? ago(600) },
          {
            type: "Ready",
            status: "False",
            reason: "ContainersNotReady",
            message: "containers with unready status: [main]",
            lastTransitionTime: ago(300),
          },
          {
            type: "ContainersReady",
            status: "False",
            reason: "ContainersNotReady",
            message: "containers with unready status: [main]",
            lastTransitionTime: ago(300),
          },
          { type: "PodScheduled", status: "True", lastTransitionTime: started.startTime ?? ago(600) },
        ],
        containerStatuses: [
          {
            name: "main",
            image: image(DEMO_OBJECTS.failingPod, "0.9.1"),
            imageID: "",
            ready: false,
            started: false,
            restartCount: 6,
            state: {
              waiting: {
                reason: "CrashLoopBackOff",
                message: `back-off 2m40s restarting failed container=main pod=${DEMO_OBJECTS.failingPod}_${DEMO_NAMESPACE}`,
              },
            },
            lastState: {
              terminated: {
                exitCode: 1,
                reason: "Error",
                startedAt: ago(170),
                finishedAt: ago(165),
              },
            },
          },
        ],
      },
    },
    "application/merge-patch+json",
  );
  await call(tb, "POST", `${ns}/events`, {
    apiVersion: "v1",
    kind: "Event",
    metadata: { name: `${DEMO_OBJECTS.failingPod}.backoff`, namespace: DEMO_NAMESPACE },
    involvedObject: { apiVersion: "v1", kind: "Pod", name: DEMO_OBJECTS.failingPod, namespace: DEMO_NAMESPACE },
    type: "Warning",
    reason: "BackOff",
    message: "Back-off restarting failed container main in pod payments-worker",
    count: 6,
    firstTimestamp: ago(600),
    lastTimestamp: ago(10),
    source: { component: "kubelet", host: FAKE_NODE_NAME },
  }).catch((e: Error) => {
    // Already there from an earlier run of the same testbed.
    if (!/answered 409/.test(e.message)) throw e;
  });
}
