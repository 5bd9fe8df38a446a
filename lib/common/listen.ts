// Opening a process's HTTP listeners on a configured host:port, with an error that names the address.
import type { AddressInfo, Server } from "node:net";

/** Splits "host:port" at its last colon; an empty host means every interface. */
export function splitHostPort(address: string): [string, number] {
  const i = address.lastIndexOf(":");
  return [address.slice(0, i), Number(address.slice(i + 1))];
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
