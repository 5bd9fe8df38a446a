// In the browser zod probes `new Function` when object schemas are built, and the page's CSP reports that
// as a violation even though zod catches it; validating needs no JIT. instrumentation-client.ts imports
// this, and Next.js runs that file before it hydrates the page (before any of the app's client modules are
// evaluated), so the setting is in force before the first schema exists in the browser, whichever page
// builds it. On the server (kas, the agent, web) nothing changes.
import { z } from "zod";

if (typeof window !== "undefined") z.config({ jitless: true });
