// Opening a process's HTTP listeners on a configured host:port, with an error that names the address.
import type { AddressInfo, Server } from "node:net";

/** Splits "host:port" (an IPv6 host in brackets: "[::]:8150") at its last colon; an empty host means every interface. */
export function splitHostPort(address: string): [string, number] {
  const i = address.lastIndexOf(":");
  const host = address.slice(0, i);
  return [/^\[.*\]$/.test(host) ? host.slice(1, -1) : host, Number(address.slice(i + 1))];
}

/** "host:port", with an IPv6 address in brackets ("[fd00::1]:8153") so the port stays apart from it. */
export function joinHostPort(host: string, port: number): string {
  return host.includes(":") ? `[${host}]:${port}` : `${host}:${port}`;
}

/** Listens on `address` (host:port, port 0 for any free one); `who` names the process in the error. */
export async function listenOn(server: Server, address: string, who: string): Promise<AddressInfo> {
  const [host, port] = splitHostPort(address);
  await new Promise<void>((resolve, reject) => {
    const onError = (e: Error) => reject(new Error(`${who} cannot listen on ${address}: ${e.message}`));
    server.once("error", onError);
    server.listen(port, host || undefined, () => {
      server.off("error", onError);
      resolve();
    });
  });
  return server.address() as AddressInfo;
}

/** Stops accepting connections and resolves once the open ones have ended. */
export function closeServer(server: Server): Promise<void> {
  return new Promise<void>((resolve) => server.close(() => resolve()));
}
