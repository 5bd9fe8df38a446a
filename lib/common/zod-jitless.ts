// In the browser zod probes `new Function` when object schemas are built, and the page's CSP reports that
// as a violation even though zod catches it; validating needs no JIT. Every module that builds a schema
// the browser runs imports this first (lib/agent-config/validate.ts, ./flux-config.ts,
// lib/versions/results.ts, lib/cluster-cache/paths.ts, lib/auth/sign-up-schema.ts, lib/pod-shell/protocol.ts),
// so the setting is in force before the first schema exists. On the server
// (kas, the agent, web) nothing changes.
import { z } from "zod";

if (typeof window !== "undefined") z.config({ jitless: true });
