// In the browser zod probes `new Function` when object schemas are built, and the page's CSP reports that
// as a violation even though zod catches it; validating needs no JIT. instrumentation-client.ts imports
// this, and Next.js runs that file before it hydrates the page (before any of the app's client modules are
// evaluated), so the setting is in force before the first schema exists in the browser, whichever page
// builds it. On the server (kas, the agent, web) nothing changes.
//
// It sets what `z.config({ jitless: true })` sets without importing zod: zod v4 keeps its settings in
// `globalThis.__zod_globalConfig`, which its core module adopts when it loads (and z.config writes to), so
// a page that never validates anything (the cluster view) does not load zod's ~100 KB just to switch its JIT
// off. zod-jitless.test.ts checks that a zod loaded afterwards reads it.

/** Makes every zod loaded from now on in `scope` validate without `new Function`. */
export function makeZodJitless(scope: object = globalThis): void {
  const holder = scope as { __zod_globalConfig?: { jitless?: boolean } };
  (holder.__zod_globalConfig ??= {}).jitless = true;
}

if (typeof window !== "undefined") makeZodJitless();
