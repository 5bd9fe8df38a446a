// The data channel between a real agent and a real kas, through a TCP relay the test controls (a load
// balancer or a NAT in real life): streamed bodies travel on it, a channel cut mid-response fails that
// response with a clear error (never a hang or a truncated success), the agent dials a new one, and an
// agent whose channel cannot get through keeps serving everything over gRPC.
import net from "node:net";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { apiserverRequest } from "@/testbed/cluster";
import {
  agentObservabilityPort,
  registerTestAgent,
  scrapeMetrics,
  startAgentProcess,
  startKasProcess,
  startWebInternal,
  tunnelClientFor,
  waitForAgent,
  type KasProcess,
  type Proc,
  type WebInternal,
} from "@/testbed/tunnel-stack";
import { tunnelRequester } from "@/testbed/tunnel-checks";
import { DATA_CHANNEL_MAGIC } from "@/lib/common/data-channel-wire";

/** Relays connections to kas's agent port; knows which ones are data channels, and can cut or refuse them. */
class Relay {
  private readonly server: net.Server;
  readonly channels = new Set<net.Socket>();
  /** Data channel connections are closed at once (a middlebox that only lets HTTP/2 through). */
  blockChannels = false;
  port = 0;

  constructor(target: number) {
    this.server = net.createServer((client) => {
      const upstream = net.connect({ host: "127.0.0.1", port: target });
      client.once("data", (first: Buffer) => {
        if (first[0] === DATA_CHANNEL_MAGIC[0]) {
          if (this.blockChannels) return client.destroy();
          this.channels.add(client);
          client.once("close", () => this.channels.delete(client));
        }
        upstream.write(first);
        client.pipe(upstream);
      });
      upstream.pipe(client);
      const end = () => {
        client.destroy();
        upstream.destroy();
      };
      client.on("error", end).on("close", end);
      upstream.on("error", end).on("close", end);
    });
  }

  async start(): Promise<void> {
    await new Promise<void>((resolve) => this.server.listen(0, "127.0.0.1", resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
  }

  cutChannels(): void {
    for (const s of this.channels) s.destroy();
  }

  close(): void {
    this.server.close();
    this.cutChannels();
  }
}

const CHANNEL_BYTES = "tether_agent_data_channel_bytes_total";
const READY = 'tether_agent_data_channel_connects_total{outcome="ready"}';

describe("the tunnel's data channel", () => {
  const tb = inject("testbed");
  const ns = `dch-${Date.now().toString(36)}`;
  let web: WebInternal;
  let kas: KasProcess;
  let relay: Relay;
  const agents: Proc[] = [];
  let client: ReturnType<typeof tunnelClientFor>;
  const direct = (method: string, p: string, body?: unknown) => apiserverRequest(tb, method, p, body);

  async function agentBehindRelay(): Promise<{ agentId: string; port: number }> {
    const reg = await registerTestAgent(web.db);
    const agent = await startAgentProcess({
      kasAgentPort: relay.port,
      token: reg.token,
      kubeconfig: tb.kubeconfig,
      dir: web.dir,
    });
    agents.push(agent);
    await waitForAgent(client, reg.agentId);
    return { agentId: reg.agentId, port: await agentObservabilityPort(agent) };
  }

  /** The list's bytes are the API server's (its resourceVersion moves with any write in the cluster meanwhile). */
  async function expectSameList(body: string): Promise<void> {
    const rv = (JSON.parse(body) as { metadata: { resourceVersion: string } }).metadata.resourceVersion;
    const want = await direct(
      "GET",
      `/api/v1/namespaces/${ns}/configmaps?resourceVersion=${rv}&resourceVersionMatch=Exact`,
    );
    expect(want.status).toBe(200);
    expect(body).toBe(want.body);
  }

  async function until(what: string, ok: () => Promise<boolean>, ms = 10_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!(await ok())) {
      if (Date.now() > deadline) throw new Error(`not within ${ms} ms: ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }

  beforeAll(async () => {
    web = await startWebInternal();
    kas = await startKasProcess(web);
    relay = new Relay(kas.agentPort);
    await relay.start();
    client = tunnelClientFor(web, kas);
    expect((await direct("POST", "/api/v1/namespaces", { metadata: { name: ns } })).status).toBe(201);
    const filler = "z".repeat(2_000);
    for (let i = 0; i < 400; i++)
      expect(
        (
          await direct("POST", `/api/v1/namespaces/${ns}/configmaps`, {
            metadata: { name: `cm-${i}` },
            data: { filler },
          })
        ).status,
      ).toBe(201);
  });

  afterAll(async () => {
    await direct("DELETE", `/api/v1/namespaces/${ns}`).catch(() => undefined);
    client?.close();
    for (const a of agents) await a.kill();
    relay?.close();
    await kas?.kill();
    await web?.close();
  });

  it("a channel cut mid-watch ends that watch with a clear error; the agent dials a new channel and serves on", async () => {
    const { agentId, port } = await agentBehindRelay();
    const tunnel = tunnelRequester(client, agentId);
    // A LIST of ~1 MB streams its body: on the channel.
    await until("the agent's data channel is ready", async () => (await scrapeMetrics(port, READY))[0]! >= 1);
    const [before] = await scrapeMetrics(port, CHANNEL_BYTES);
    const listed = await tunnel("GET", `/api/v1/namespaces/${ns}/configmaps`);
    expect(listed.status).toBe(200);
    await expectSameList(listed.body);
    const [after] = await scrapeMetrics(port, CHANNEL_BYTES);
    expect(after! - before!).toBeGreaterThanOrEqual(listed.body.length);

    const rv = (JSON.parse(listed.body) as { metadata: { resourceVersion: string } }).metadata.resourceVersion;
    const watchPath = `/api/v1/namespaces/${ns}/configmaps?fieldSelector=metadata.name%3Dwatched&watch=1&resourceVersion=${rv}`;
    // The raw response of one watch request: what a caller reads when its stream breaks.
    const raw = await client.agentFetch(agentId, { path: watchPath });
    expect(raw.status).toBe(200);
    let text = "";
    const reading = (async () => {
      const decoder = new TextDecoder();
      for await (const chunk of raw.body as unknown as AsyncIterable<Uint8Array>) text += decoder.decode(chunk);
    })();
    // web's own watches resume after a broken stream from the last event they saw: none is lost.
    const seen: string[] = [];
    const abort = new AbortController();
    const watching = (async () => {
      for await (const ev of client.agentWatch<{ metadata: { name: string } }>(
        agentId,
        `/api/v1/namespaces/${ns}/configmaps?fieldSelector=metadata.name%3Dwatched`,
        { resourceVersion: rv, signal: abort.signal },
      ))
        seen.push(`${ev.type} ${ev.object.metadata.name}`);
    })();
    expect(
      (await direct("POST", `/api/v1/namespaces/${ns}/configmaps`, { metadata: { name: "watched" }, data: { a: "1" } }))
        .status,
    ).toBe(201);
    await until("both watches see the event", async () => seen.length === 1 && text.includes('"ADDED"'));
    relay.cutChannels();
    await expect(reading).rejects.toThrow(/data channel/);
    expect(text.trim().split("\n")).toHaveLength(1); // the one event, and no truncated success
    expect((await direct("PATCH", `/api/v1/namespaces/${ns}/configmaps/watched`, { data: { a: "2" } })).status).toBe(
      200,
    );
    await until("the resumed watch sees the change made after the cut", async () => seen.length === 2);
    expect(seen).toEqual(["ADDED watched", "MODIFIED watched"]);
    abort.abort();
    await watching;

    // A new channel, and streamed bodies on it again.
    await until("a second data channel is ready", async () => (await scrapeMetrics(port, READY))[0]! >= 2);
    const [before2] = await scrapeMetrics(port, CHANNEL_BYTES);
    const again = await tunnel("GET", `/api/v1/namespaces/${ns}/configmaps`);
    expect(again.status).toBe(200);
    await expectSameList(again.body);
    const [after2] = await scrapeMetrics(port, CHANNEL_BYTES);
    expect(after2! - before2!).toBeGreaterThanOrEqual(again.body.length);
  }, 60_000);

  it("an agent whose channel cannot get through serves everything on gRPC, byte for byte", async () => {
    relay.blockChannels = true;
    try {
      const { agentId, port } = await agentBehindRelay();
      const tunnel = tunnelRequester(client, agentId);
      await until(
        "the agent gives up on the channel",
        async () => (await scrapeMetrics(port, 'tether_agent_data_channel_connects_total{outcome="failed"}'))[0]! >= 3,
      );
      const listed = await tunnel("GET", `/api/v1/namespaces/${ns}/configmaps`);
      expect(listed.status).toBe(200);
      await expectSameList(listed.body);
      expect(await scrapeMetrics(port, CHANNEL_BYTES, READY)).toEqual([0, 0]);
    } finally {
      relay.blockChannels = false;
    }
  }, 60_000);
});
