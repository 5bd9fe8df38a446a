// Bursts of pushes for one repository and ref become a few reconciles, never none: the first push runs
// at once; pushes that arrive while it runs or within `minIntervalMs` after it are gathered, and one more
// run follows for all of them (with the newest push). The last push therefore always leads to a run that
// started after it arrived. Different keys never wait for each other.

export interface Job<T> {
  /** The newest push of the gathered ones. */
  latest: T;
  /** Every push this run answers for (the ids to report). */
  all: T[];
}

interface KeyState<T> {
  running: boolean;
  waiting: T[];
  timer: NodeJS.Timeout | null;
  lastStart: number;
}

export class Coalescer<T> {
  private readonly keys = new Map<string, KeyState<T>>();
  private stopped = false;

  constructor(
    private readonly run: (key: string, job: Job<T>) => Promise<void>,
    private readonly minIntervalMs: number,
    /** Called for each push gathered into a later run instead of running alone. */
    private readonly onCoalesced: () => void = () => undefined,
    private readonly now: () => number = Date.now,
  ) {}

  add(key: string, item: T): void {
    if (this.stopped) return;
    let s = this.keys.get(key);
    if (!s) this.keys.set(key, (s = { running: false, waiting: [], timer: null, lastStart: -Infinity }));
    if (s.waiting.length > 0) this.onCoalesced();
    s.waiting.push(item);
    this.schedule(key, s);
  }

  private schedule(key: string, s: KeyState<T>): void {
    if (s.running || s.timer || s.waiting.length === 0 || this.stopped) return;
    const wait = s.lastStart + this.minIntervalMs - this.now();
    if (wait > 0) {
      s.timer = setTimeout(() => {
        s.timer = null;
        this.schedule(key, s);
      }, wait);
      return;
    }
    const all = s.waiting.splice(0);
    s.running = true;
    s.lastStart = this.now();
    void this.run(key, { latest: all[all.length - 1]!, all })
      .catch(() => undefined) // the runner reports its own failures
      .finally(() => {
        s.running = false;
        if (s.waiting.length === 0 && !s.timer) {
          // Forget idle keys after the interval, so memory follows the repositories in use.
          s.timer = setTimeout(() => {
            s.timer = null;
            if (!s.running && s.waiting.length === 0) this.keys.delete(key);
            else this.schedule(key, s);
          }, this.minIntervalMs);
          return;
        }
        this.schedule(key, s);
      });
  }

  /** Keys with a run going or pushes waiting. */
  get busy(): number {
    let n = 0;
    for (const s of this.keys.values()) if (s.running || s.waiting.length > 0) n++;
    return n;
  }

  stop(): void {
    this.stopped = true;
    for (const s of this.keys.values()) if (s.timer) clearTimeout(s.timer);
    this.keys.clear();
  }
}
