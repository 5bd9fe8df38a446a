import { describe, expect, it } from "vitest";
import { podSummary } from "@/lib/cluster-cache/summary";
import { KINDS, type KubeItem } from "./kinds";
import { controlledBy, eventObject, nodeRoles, serviceExternalIp, servicePorts } from "./wide-columns";

const kind = (key: string) => KINDS.find((k) => k.key === key)!;
/** A kind's row as the table draws it after Name and Namespace: status, then the wide columns. */
const row = (key: string, o: KubeItem, now = 0) => [
  kind(key).statusLabel ?? "Status",
  kind(key).status(o),
  ...(kind(key).extraColumns ?? []).map((c) => `${c.name}=${c.value(o, now)}`),
];

describe("pods, as kubectl get pods -o wide", () => {
  const pod = {
    apiVersion: "v1",
    kind: "Pod",
    metadata: {
      name: "web-6d4cf56db6-abcde",
      namespace: "shop",
      ownerReferences: [{ kind: "ReplicaSet", name: "web-6d4cf56db6", controller: true }],
    },
    spec: {
      nodeName: "node-1",
      containers: [
        { name: "app", image: "nginx:1.27" },
        { name: "log", image: "fluent-bit" },
      ],
    },
    status: {
      phase: "Running",
      podIP: "10.0.0.7",
      containerStatuses: [{ ready: true }, { ready: true, restartCount: 2 }],
    },
  };

  it("reads ready, restarts, node, IP, images and the controller from the cache's summary", () => {
    expect(row("pods", podSummary(pod) as KubeItem)).toEqual([
      "Status",
      "Running",
      "Ready=2/2",
      "Restarts=2",
      "Node=node-1",
      "IP=10.0.0.7",
      "Images=nginx:1.27,fluent-bit",
      "Controlled by=ReplicaSet/web-6d4cf56db6",
    ]);
  });

  it("reads the same from the whole pod (the drawer's object)", () => {
    expect(row("pods", pod as KubeItem)).toEqual(row("pods", podSummary(pod) as KubeItem));
  });

  it("a Pending pod without statuses is 0/1 and has no IP yet", () => {
    const pending = { ...pod, status: { phase: "Pending" }, spec: { containers: [{ name: "app", image: "nginx" }] } };
    expect(row("pods", podSummary(pending) as KubeItem).slice(2, 6)).toEqual([
      "Ready=0/1",
      "Restarts=0",
      "Node=",
      "IP=",
    ]);
  });

  it("a pod nobody controls says nothing in Controlled by", () => {
    expect(controlledBy({ metadata: { name: "solo" } })).toBe("");
  });
});

describe("workloads, services, nodes, jobs and events", () => {
  it("Deployments: ready, up-to-date, available and the template's images", () => {
    const d: KubeItem = {
      metadata: { name: "web" },
      spec: { replicas: 3, template: { spec: { containers: [{ image: "nginx:1.27" }] } } },
      status: { readyReplicas: 2, updatedReplicas: 3, availableReplicas: 2 },
    };
    expect(row("deployments", d)).toEqual(["Ready", "2/3 ready", "Up-to-date=3", "Available=2", "Images=nginx:1.27"]);
  });

  it("Services: type, cluster IP, external IP and ports as kubectl prints them", () => {
    const lb: KubeItem = {
      metadata: { name: "front" },
      spec: {
        type: "LoadBalancer",
        clusterIP: "10.96.0.10",
        ports: [
          { port: 80, nodePort: 30080, protocol: "TCP" },
          { port: 53, protocol: "UDP" },
        ],
      },
      status: {},
    };
    expect(row("services", lb)).toEqual([
      "Type",
      "LoadBalancer",
      "Cluster IP=10.96.0.10",
      "External IP=<pending>",
      "Ports=80:30080/TCP,53/UDP",
    ]);
    expect(serviceExternalIp({ ...lb, status: { loadBalancer: { ingress: [{ ip: "203.0.113.9" }] } } })).toBe(
      "203.0.113.9",
    );
    expect(serviceExternalIp({ metadata: { name: "x" }, spec: { type: "ClusterIP" } })).toBe("<none>");
    expect(servicePorts({ metadata: { name: "x" }, spec: {} })).toBe("<none>");
  });

  it("Nodes: roles from labels, kubelet version, internal IP, taints and capacity", () => {
    const n = {
      metadata: { name: "cp-1", labels: { "node-role.kubernetes.io/control-plane": "", "kubernetes.io/os": "linux" } },
      spec: { taints: [{ key: "node-role.kubernetes.io/control-plane", effect: "NoSchedule" }] },
      status: {
        conditions: [{ type: "Ready", status: "True" }],
        nodeInfo: { kubeletVersion: "v1.33.13" },
        addresses: [
          { type: "Hostname", address: "cp-1" },
          { type: "InternalIP", address: "192.0.2.4" },
        ],
        capacity: { cpu: "4", memory: "16Gi", pods: "110" },
      },
    } as KubeItem;
    expect(row("nodes", n)).toEqual([
      "Status",
      "Ready",
      "Roles=control-plane",
      "Version=v1.33.13",
      "Internal IP=192.0.2.4",
      "Taints=node-role.kubernetes.io/control-plane:NoSchedule",
      "Capacity=4 CPU, 16Gi, 110 pods",
    ]);
    expect(nodeRoles({ metadata: { name: "w" } })).toBe("<none>");
  });

  it("CronJobs: schedule, suspended, active Jobs and the last schedule's age", () => {
    const now = Date.parse("2026-11-30T12:00:00Z");
    const c: KubeItem = {
      metadata: { name: "backup" },
      spec: { schedule: "0 * * * *", suspend: true },
      status: { active: [{ name: "backup-1" }], lastScheduleTime: "2026-11-30T11:00:00Z" },
    };
    expect(row("cronjobs", c, now)).toEqual([
      "Schedule",
      "0 * * * * (suspended)",
      "Suspend=True",
      "Active=1",
      "Last schedule=60m",
    ]);
  });

  it("Jobs: the duration from start to completion, or to now while running", () => {
    const now = Date.parse("2026-11-30T12:00:00Z");
    const j: KubeItem = { metadata: { name: "j" }, spec: {}, status: { startTime: "2026-11-30T11:59:00Z" } };
    expect(kind("jobs").extraColumns![0]!.value(j, now)).toBe("60s");
    const done = { ...j, status: { ...j.status, completionTime: "2026-11-30T11:59:30Z" } };
    expect(kind("jobs").extraColumns![0]!.value(done, now)).toBe("30s");
  });

  it("Events: last seen, the object it is about, the message and the count", () => {
    const now = Date.parse("2026-11-30T12:00:00Z");
    const e: KubeItem = {
      metadata: { name: "web.17f", namespace: "shop", creationTimestamp: "2026-11-30T11:00:00Z" },
      type: "Warning",
      reason: "BackOff",
      message: "Back-off restarting failed container",
      involvedObject: { kind: "Pod", name: "web-1" },
      count: 5,
      lastTimestamp: "2026-11-30T11:59:50Z",
    };
    expect(row("events", e, now)).toEqual([
      "Type and reason",
      "Warning BackOff",
      "Last seen=10s",
      "Object=pod/web-1",
      "Message=Back-off restarting failed container",
      "Count=5",
    ]);
    expect(eventObject({ metadata: { name: "x" }, regarding: { kind: "Node", name: "n1" } })).toBe("node/n1");
  });
});
