// In the browser zod probes `new Function` when object schemas are built, and the page's CSP reports that
// as a violation even though zod catches it; validating a configuration needs no JIT. Imported first by
// validate.ts, so the setting is in force before any schema it depends on (flux-config too) is built.
import { z } from "zod";

if (typeof window !== "undefined") z.config({ jitless: true });
