// The specs' `test`: Playwright's, plus one automatic fixture that closes the browser contexts a test opened
// (newSignedInPage, browser.newContext) when it ends, and those a spec's beforeAll opened when the next spec
// file starts. Playwright's `browser` lives as long as the worker (the whole run, with one worker), and a
// context nobody closes keeps its pages running: cluster pages hold their live streams and poll metrics
// every 15 s against agents long gone, and a run of ~100 tests slowed to a third of its pace under them.
import { test as base, type BrowserContext } from "@playwright/test";

export * from "@playwright/test";

/** Contexts still open when the last test of the previous spec file ended (its beforeAll's). */
let survivors: BrowserContext[] = [];
let currentFile = "";

const closeAll = (contexts: readonly BrowserContext[]) =>
  Promise.all(contexts.map((c) => c.close().catch(() => undefined)));

export const test = base.extend<{ closeOpenedContexts: void }>({
  closeOpenedContexts: [
    async ({ browser }, use, testInfo) => {
      if (testInfo.file !== currentFile) {
        currentFile = testInfo.file;
        // The new file's own beforeAll contexts were opened after `survivors` was taken: they stay.
        await closeAll(survivors);
        survivors = [];
      }
      const before = new Set(browser.contexts());
      await use();
      await closeAll(browser.contexts().filter((c) => !before.has(c)));
      survivors = browser.contexts();
    },
    { auto: true },
  ],
});
