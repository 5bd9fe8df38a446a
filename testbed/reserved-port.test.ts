import fs from "node:fs";
import net from "node:net";
import { describe, expect, it } from "vitest";
import { reservedPort } from "./cluster";

describe("reservedPort", () => {
  it("gives a free port below the kernel's ephemeral range, which no outgoing connection takes as its source port", async () => {
    const low = fs.existsSync("/proc/sys/net/ipv4/ip_local_port_range")
      ? Number(fs.readFileSync("/proc/sys/net/ipv4/ip_local_port_range", "utf8").trim().split(/\s+/)[0])
      : 32768;
    const port = await reservedPort();
    expect(port).toBeGreaterThanOrEqual(10000);
    expect(port).toBeLessThan(low);
    // It is free: a test can listen on it.
    const srv = net.createServer();
    await new Promise<void>((resolve, reject) => srv.once("error", reject).listen(port, "127.0.0.1", resolve));
    await new Promise((r) => srv.close(r));
  });
});
