import http from "node:http";
import net from "node:net";
import { afterEach, describe, expect, it } from "vitest";
import { closeServer, joinHostPort, listenOn, splitHostPort } from "./listen";

describe("host:port addresses", () => {
  it("split and join an IPv6 host in brackets, and an IPv4 host or name without", () => {
    expect(splitHostPort("[::]:8150")).toEqual(["::", 8150]);
    expect(splitHostPort("[fd00::1]:8153")).toEqual(["fd00::1", 8153]);
    expect(splitHostPort("0.0.0.0:8150")).toEqual(["0.0.0.0", 8150]);
    expect(splitHostPort("kas-0.kas:8153")).toEqual(["kas-0.kas", 8153]);
    expect(joinHostPort("fd00::1", 8153)).toBe("[fd00::1]:8153");
    expect(joinHostPort("10.244.0.5", 8153)).toBe("10.244.0.5:8153");
    expect(joinHostPort("kas-0.kas", 8153)).toBe("kas-0.kas:8153");
  });

  let server: http.Server | undefined;
  afterEach(async () => {
    if (server) await closeServer(server);
    server = undefined;
  });

  it("a server on [::] (every interface) also takes IPv4 connections", async () => {
    server = http.createServer((_req, res) => res.end("ok"));
    const { port, address } = await listenOn(server, "[::]:0", "test");
    expect(address).toBe("::");
    for (const host of ["127.0.0.1", "::1"]) {
      const socket = net.connect({ host, port });
      await new Promise<void>((resolve, reject) => socket.once("connect", resolve).once("error", reject));
      socket.destroy();
    }
  });
});
