// Leader election on a coordination.k8s.io/v1 Lease, as client-go's leaderelection does it (the Kubernetes
// client for Node has none): the holder renews every retry period; another candidate takes over only once
// it has seen the same record unchanged for a whole lease duration (its own clock, so clock skew between
// pods does not matter); a leader that cannot renew within the renew deadline (shorter than the lease)
// steps down before anyone else may take over, so two processes are never both leader. Every write
// carries the resourceVersion it read: of two candidates racing, the API server lets one win.
import type { Logger } from "pino";
import type { KubeApi } from "../kube-proxy";
import { kubeJson, statusMessage } from "./kube-json";

export interface LeaseElectorOptions {
  kube: KubeApi;
  namespace: string;
  name: string;
  identity: string;
  log: Logger;
  onChange: (leader: boolean) => void;
  leaseDurationMs?: number;
  renewDeadlineMs?: number;
  retryPeriodMs?: number;
}

interface LeaseSpec {
  holderIdentity?: string;
  leaseDurationSeconds?: number;
  acquireTime?: string;
  renewTime?: string;
  leaseTransitions?: number;
}

interface Lease {
  metadata: { name: string; namespace: string; resourceVersion?: string };
  spec: LeaseSpec;
}

/** MicroTime as the API server writes it: RFC 3339 with six fractional digits. */
const microTime = (d = new Date()) => d.toISOString().replace(/\.(\d{3})Z$/, ".$1000Z");

export class LeaseElector {
  private readonly durationMs: number;
  private readonly renewDeadlineMs: number;
  private readonly retryMs: number;
  private leader = false;
  private lastRenew = 0;
  private observed: { key: string; at: number } | null = null;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;
  private ticking: Promise<void> = Promise.resolve();

  constructor(private readonly o: LeaseElectorOptions) {
    this.durationMs = o.leaseDurationMs ?? 15_000;
    this.renewDeadlineMs = o.renewDeadlineMs ?? 10_000;
    this.retryMs = o.retryPeriodMs ?? 2_000;
    if (!(this.retryMs < this.renewDeadlineMs && this.renewDeadlineMs < this.durationMs))
      throw new Error("leader election needs retry period < renew deadline < lease duration");
  }

  get isLeader(): boolean {
    return this.leader;
  }

  private get path(): string {
    return `/apis/coordination.k8s.io/v1/namespaces/${encodeURIComponent(this.o.namespace)}/leases`;
  }

  start(): void {
    const loop = () => {
      if (this.stopped) return;
      this.ticking = this.tick()
        .catch((e: Error) =>
          this.o.log.warn({ lease: this.o.name, err: e.message }, "leader election: lease check failed"),
        )
        .finally(() => {
          if (!this.stopped) this.timer = setTimeout(loop, this.retryMs);
        });
    };
    loop();
  }

  private setLeader(v: boolean): void {
    if (this.leader === v) return;
    this.leader = v;
    this.o.log.info(
      { lease: `${this.o.namespace}/${this.o.name}`, identity: this.o.identity },
      v ? "became leader" : "no longer leader",
    );
    this.o.onChange(v);
  }

  private async tick(): Promise<void> {
    const now = Date.now();
    try {
      await this.tryAcquireOrRenew(now);
    } finally {
      // A leader that has not renewed within the deadline steps down, whatever the reason.
      if (this.leader && Date.now() - this.lastRenew > this.renewDeadlineMs) this.setLeader(false);
    }
  }

  private spec(prev: LeaseSpec | null, now: Date): LeaseSpec {
    const taking = prev?.holderIdentity !== this.o.identity;
    return {
      holderIdentity: this.o.identity,
      leaseDurationSeconds: Math.ceil(this.durationMs / 1000),
      acquireTime: taking ? microTime(now) : (prev?.acquireTime ?? microTime(now)),
      renewTime: microTime(now),
      leaseTransitions: (prev?.leaseTransitions ?? 0) + (taking && prev?.holderIdentity ? 1 : 0),
    };
  }

  private async tryAcquireOrRenew(nowMs: number): Promise<void> {
    const got = await kubeJson(this.o.kube, "GET", `${this.path}/${encodeURIComponent(this.o.name)}`);
    if (got.status === 404) {
      const created = await kubeJson(this.o.kube, "POST", this.path, {
        apiVersion: "coordination.k8s.io/v1",
        kind: "Lease",
        metadata: { name: this.o.name, namespace: this.o.namespace },
        spec: this.spec(null, new Date()),
      });
      if (created.status === 201 || created.status === 200) {
        this.lastRenew = nowMs;
        this.setLeader(true);
      } else if (created.status !== 409) throw new Error(`cannot create the Lease: ${statusMessage(created)}`);
      return;
    }
    if (got.status !== 200) throw new Error(`cannot read the Lease: ${statusMessage(got)}`);
    const lease = got.body as Lease;
    const spec = lease.spec ?? {};
    const key = `${spec.holderIdentity ?? ""}|${spec.renewTime ?? ""}|${lease.metadata.resourceVersion ?? ""}`;
    if (this.observed?.key !== key) this.observed = { key, at: nowMs };
    const mine = spec.holderIdentity === this.o.identity;
    const heldByOther =
      !mine &&
      !!spec.holderIdentity &&
      this.observed.at + (spec.leaseDurationSeconds ?? this.durationMs / 1000) * 1000 > nowMs;
    if (heldByOther) {
      this.setLeader(false);
      return;
    }
    const updated = await kubeJson(this.o.kube, "PUT", `${this.path}/${encodeURIComponent(this.o.name)}`, {
      ...lease,
      spec: { ...spec, ...this.spec(spec, new Date()) },
    });
    if (updated.status === 200) {
      this.lastRenew = nowMs;
      this.observed = null;
      this.setLeader(true);
    } else if (updated.status !== 409) throw new Error(`cannot update the Lease: ${statusMessage(updated)}`);
  }

  /** Stops electing; a leader gives the Lease up so another process takes over at once. */
  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    await this.ticking;
    if (!this.leader) return;
    this.setLeader(false);
    const got = await kubeJson(this.o.kube, "GET", `${this.path}/${encodeURIComponent(this.o.name)}`).catch(() => null);
    const lease = got?.status === 200 ? (got.body as Lease) : null;
    if (lease?.spec?.holderIdentity !== this.o.identity) return;
    await kubeJson(this.o.kube, "PUT", `${this.path}/${encodeURIComponent(this.o.name)}`, {
      ...lease,
      spec: { ...lease.spec, holderIdentity: "", leaseDurationSeconds: 1, renewTime: microTime() },
    }).catch(() => undefined);
  }
}
