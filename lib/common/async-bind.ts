// Node 20 to 24 give every function bound with AsyncResource#bind a deprecated `asyncResource` accessor
// (DEP0172) made of two fresh `util.deprecate` wrappers, and `deprecate` makes each wrapped function the
// prototype of its wrapper: new hidden classes on every bind, in old space, kept until a full GC. Node's
// HTTP/2 client binds once per request (ClientHttp2Session#request), so the agent, which sends every
// tunnelled request to the API server as an HTTP/2 stream, paid for it in scavenges that promoted a few
// KB per request (see "What the tunnel costs" in docs/architecture.md). Node 25 removes the accessor
// (nodejs/node#58618; the cost is nodejs/node#58218); this gives our processes the same bind before then.
import { AsyncResource } from "node:async_hooks";

type Bind = (this: AsyncResource, fn: (...args: unknown[]) => unknown, thisArg?: unknown) => unknown;

/**
 * Node's own AsyncResource#bind without the deprecated accessor: the bound function runs `fn` in the
 * resource's async context (AsyncLocalStorage stores, async_hooks ids), with `thisArg` or else the
 * `this` it is called with, and keeps `fn.length`. No-op (false) where Node's bind has no accessor.
 */
export function installLeanAsyncResourceBind(): boolean {
  const probe = new AsyncResource("TetherBindProbe");
  if (
    !Object.getOwnPropertyDescriptor(
      probe.bind(() => undefined),
      "asyncResource",
    )
  )
    return false;
  const bind: Bind = function (fn, thisArg) {
    if (typeof fn !== "function") throw new TypeError(`The "fn" argument must be of type function`);
    // eslint-disable-next-line @typescript-eslint/no-this-alias -- the resource, kept for the wrapper
    const resource = this;
    const bound =
      thisArg === undefined
        ? function (this: unknown, ...args: unknown[]) {
            return resource.runInAsyncScope(fn, this, ...args);
          }
        : resource.runInAsyncScope.bind(resource, fn, thisArg);
    Object.defineProperty(bound, "length", {
      configurable: true,
      enumerable: false,
      value: fn.length,
      writable: false,
    });
    return bound;
  };
  // The prototype's method is typed generically (it returns the function's own type); this one does the same.
  AsyncResource.prototype.bind = bind as unknown as AsyncResource["bind"];
  return true;
}
