// web's /healthz and /readyz answers on a real database: ready when it answers, 503 when it refuses
// connections or accepts them and never answers (within the probe's time, not after it).
import net from "node:net";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { freshDatabase, type TestDatabase } from "@/lib/db/test-databases";
import { livenessResponse, readinessResponse } from "./index";

describe("liveness", () => {
  it("answers ok without touching the database", async () => {
    const res = livenessResponse();
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("ok\n");
    expect(res.headers.get("cache-control")).toBe("no-store");
  });
});

describe.each(["sqlite", "postgresql"] as const)("readiness on %s", (provider) => {
  let tdb: TestDatabase;
  let db: Db;

  beforeAll(async () => {
    tdb = await freshDatabase(provider);
    await migrate(tdb.target);
    db = createDb(tdb.target);
  });
  afterAll(async () => {
    await db?.$disconnect();
    await tdb?.drop();
  });

  it("is ready when the database answers", async () => {
    const res = await readinessResponse(db);
    expect(res.status).toBe(200);
    expect(await res.text()).toBe("ok\n");
  });
});

describe("readiness without a database", () => {
  let silent: net.Server;
  let silentPort: number;
  const sockets: net.Socket[] = [];

  beforeAll(async () => {
    // Accepts connections and never says a word, like a database behind a dead network path.
    silent = net.createServer((s) => sockets.push(s));
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    silentPort = (silent.address() as net.AddressInfo).port;
  });
  afterAll(async () => {
    for (const s of sockets) s.destroy();
    await new Promise<void>((resolve) => silent.close(() => resolve()));
  });

  it("is not ready when PostgreSQL refuses the connection", async () => {
    // A port nothing listens on: bind one, note it, close it.
    const probe = net.createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const closedPort = (probe.address() as net.AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const db = createDb({ provider: "postgresql", url: `postgres://tether:pw@127.0.0.1:${closedPort}/tether` });
    try {
      const res = await readinessResponse(db);
      expect(res.status).toBe(503);
      expect(await res.text()).toBe("not ready: the database does not answer\n");
    } finally {
      await db.$disconnect();
    }
  });

  it("answers 503 within its timeout when the database never answers", async () => {
    const db = createDb({ provider: "postgresql", url: `postgres://tether:pw@127.0.0.1:${silentPort}/tether` });
    try {
      const t0 = Date.now();
      const res = await readinessResponse(db, 500);
      const took = Date.now() - t0;
      expect(res.status).toBe(503);
      expect(took).toBeGreaterThanOrEqual(450);
      // The driver alone would wait for ever (pg sets no connection timeout); a busy machine may delay the timer.
      expect(took).toBeLessThan(5_000);
    } finally {
      void db.$disconnect();
    }
  });
});
