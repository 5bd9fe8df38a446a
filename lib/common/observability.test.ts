import { Registry } from "prom-client";
import { afterEach, describe, expect, it } from "vitest";
import { Readiness, startObservabilityServer, type ObservabilityServer } from "./observability";

describe("observability server", () => {
  let server: ObservabilityServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it("serves metrics, health, and readiness with the first failing check's reason", async () => {
    const readiness = new Readiness();
    let stopping = false;
    readiness.add(() => (stopping ? "shutting down" : null));
    readiness.add(() => "never reached while stopping");
    const metrics = new Registry();
    server = await startObservabilityServer({ address: "127.0.0.1:0", who: "test", metrics, readiness });
    const get = async (path: string) => {
      const res = await fetch(`http://127.0.0.1:${server!.address.port}${path}`);
      return { status: res.status, text: await res.text() };
    };
    expect(await get("/healthz")).toEqual({ status: 200, text: "ok\n" });
    expect(await get("/readyz")).toEqual({ status: 503, text: "never reached while stopping\n" });
    stopping = true;
    expect(await get("/readyz")).toEqual({ status: 503, text: "shutting down\n" });
    expect((await get("/metrics")).status).toBe(200);
    expect((await get("/other")).status).toBe(404);
  });

  it("ready when every check passes; a busy port is named in the error", async () => {
    server = await startObservabilityServer({
      address: "127.0.0.1:0",
      who: "kas",
      metrics: new Registry(),
      readiness: new Readiness(),
    });
    expect(await (await fetch(`http://127.0.0.1:${server.address.port}/readyz`)).text()).toBe("ready\n");
    const address = `127.0.0.1:${server.address.port}`;
    await expect(
      startObservabilityServer({ address, who: "kas", metrics: new Registry(), readiness: new Readiness() }),
    ).rejects.toThrow(`kas cannot listen on ${address}: listen EADDRINUSE`);
  });
});
