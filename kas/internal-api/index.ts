// web's API on kas: MakeRequest carries one HTTP request to an agent through its tunnel, AgentStatus
// says whether it is connected here. It must not authorize users: web decides before it calls.
import { InternalService } from "../../lib/common/chunk-codec";
import type { KasCapability } from "../capability";
import { internalHandlers } from "./server";

/** For another capability's service on the internal server: checks that web made the call. */
export { checkCaller as checkWebCaller } from "./server";

export const internalApi: KasCapability = {
  name: "internal-api",
  start(ctx) {
    ctx.internalServer.addService(InternalService, internalHandlers(ctx));
    return { stop: () => undefined };
  },
};
