// The agent configuration editor (CodeMirror): every problem listed at once with its line while typing,
// Save waits for a fix; Tab indents and Escape then Tab leaves the editor; a diff between two versions
// shows the change; leaving with unsaved changes asks first, by link and by closing the tab.
import { expect, test } from "./test";
import { createProjectAgent, newSignedInPage } from "./helpers";

test("two problems listed at once, a fixed version saved, the diff of two versions, a prompt before leaving unsaved", async ({
  browser,
}) => {
  test.setTimeout(120_000);
  const { page, user } = await newSignedInPage(browser, "cfgedit");
  // CodeMirror adds its styles at run time (with the request's nonce) and the rules run in the page: the
  // page's content security policy must have nothing to report.
  const refused: string[] = [];
  await page.exposeFunction("reportPolicyViolation", (text: string) => refused.push(text));
  await page.addInitScript(() => {
    document.addEventListener("securitypolicyviolation", (e) => {
      (window as unknown as { reportPolicyViolation(t: string): void }).reportPolicyViolation(
        `${e.violatedDirective} blocked ${e.blockedURI || "inline"}`,
      );
    });
  });
  await createProjectAgent(page, user, "edited");
  const url = `/projects/${user.username}/edited/-/clusters/edited/configuration`;
  await page.goto(url);
  await expect(page.getByRole("heading", { name: "No configuration yet" })).toBeVisible();
  const editor = page.getByRole("textbox", { name: "Configuration (YAML)", exact: true });
  const save = page.getByRole("button", { name: "Save configuration" });

  // Two mistakes: both listed at once, each with its line, marked in the editor; Save stays off.
  const own = `${user.username}/edited`;
  await editor.fill(
    `ci_access:\n  projects:\n    - id: ${own}\n      default_namespace: Bad_NS\nuser_access:\n  access_as: { ci_job: {} }\n`,
  );
  const problems = page.getByRole("list", { name: "Problems" });
  await expect(problems.getByRole("listitem")).toHaveText([
    /^line 4: ci_access\.projects\.0\.default_namespace: default_namespace must be a Kubernetes namespace name/,
    /^line 6: user_access\.access_as: access_as must be \{ agent: \{\} \} or \{ user: \{\} \}/,
  ]);
  await expect(editor).toHaveAttribute("aria-invalid", "true");
  await expect(editor.locator(".tether-problem-mark")).toHaveCount(2);
  await expect(save).toBeDisabled();
  // Styled (a gutter with line numbers beside the text), and nothing refused by the content security policy.
  await expect(editor.locator("xpath=../..").locator(".cm-gutters")).toHaveCSS("display", "flex");
  expect(refused).toEqual([]);

  // Fixed: the list goes, version 1 is saved.
  await editor.fill(`ci_access:\n  projects:\n    - id: ${own}\n      default_namespace: ci\n`);
  await expect(problems).toHaveCount(0);
  await save.click();
  await expect(page.getByRole("heading", { name: "Version 1" })).toBeVisible();
  await expect(page.getByText("Saved as version 1.")).toBeVisible();

  // Tab indents inside the editor; Escape then Tab moves focus out of it.
  await editor.click();
  await page.keyboard.press("Control+End");
  await page.keyboard.press("Tab");
  await expect(editor.locator(".cm-line").last()).toHaveText("  ");
  await page.keyboard.press("Escape");
  await page.keyboard.press("Tab");
  await expect(editor).not.toBeFocused();

  // Version 2 changes one line; the diff between the two versions shows exactly that.
  await editor.fill(`ci_access:\n  projects:\n    - id: ${own}\n      default_namespace: prod\n`);
  await save.click();
  await expect(page.getByRole("heading", { name: "Version 2" })).toBeVisible();
  const compare = page.getByRole("region", { name: "Compare" });
  await expect(compare.getByLabel("From")).toHaveValue("1");
  await expect(compare.getByLabel("To")).toHaveValue("2");
  const diff = compare.getByRole("table", { name: "Changes from version 1 to version 2" });
  await expect(diff.locator("tr[data-kind=del]")).toHaveText([/4\s*−\s*removed\s*default_namespace: ci$/]);
  await expect(diff.locator("tr[data-kind=add]")).toHaveText([/4\s*\+\s*added\s*default_namespace: prod$/]);
  await expect(compare.getByTestId("diff-summary")).toHaveText("1 line added, 1 removed.");
  // The other way round, the same line the other way.
  await compare.getByLabel("From").selectOption("2");
  await compare.getByLabel("To").selectOption("1");
  await expect(
    compare.getByRole("table", { name: "Changes from version 2 to version 1" }).locator("tr[data-kind=add]"),
  ).toHaveText([/default_namespace: ci$/]);

  // Unsaved changes: following a link asks first; staying keeps the edit, leaving goes.
  await editor.click();
  await page.keyboard.press("Control+End");
  await page.keyboard.insertText("# not saved yet\n");
  await expect(page.getByText("Unsaved changes.")).toBeVisible();
  const sharing = page.getByRole("navigation", { name: "Agent" }).getByRole("link", { name: "Sharing" });
  const asked: string[] = [];
  page.once("dialog", (d) => {
    asked.push(`${d.type()}: ${d.message()}`);
    void d.dismiss();
  });
  await sharing.click();
  await expect
    .poll(() => asked)
    .toEqual(["confirm: Leave this page? Your changes to the configuration are not saved and will be lost."]);
  await expect(page).toHaveURL(new RegExp(`${url}$`));
  await expect(editor).toContainText("# not saved yet");

  // Closing the tab: the browser's own prompt (beforeunload).
  const unload = new Promise<string>((resolve) =>
    page.once("dialog", (d) => {
      resolve(d.type());
      void d.dismiss();
    }),
  );
  await page.close({ runBeforeUnload: true });
  expect(await unload).toBe("beforeunload");
  expect(page.isClosed()).toBe(false);

  page.once("dialog", (d) => void d.accept());
  await sharing.click();
  await expect(page).toHaveURL(/\/sharing$/);
});
