// Invite links on the admin page: each is listed (who made it, when, when it expires, what became of it)
// without the link itself, which is shown once; an open one is revoked after a confirmation, and its link
// then says so on the sign-up page instead of offering the form.
import { expect, test } from "./test";
import { newAdminPage } from "./helpers";

test("an administrator sees invite links listed without the link, revokes one, and its link is refused by name", async ({
  browser,
}) => {
  const { page: admin, user } = await newAdminPage(browser);
  await admin.goto("/admin");
  await admin.getByLabel("Expires after (days)").fill("3");
  await admin.getByRole("button", { name: "Create invite link" }).click();
  const link = (await admin.getByTestId("invite-link").textContent())!;
  const token = new URL(link).searchParams.get("invite")!;
  expect(token).toMatch(/^tthr_invite_/);

  const table = admin.getByRole("table", { name: "Invite links" });
  const row = table.getByTestId("invite-row").first();
  await expect(row).toContainText(user.username);
  await expect(row).toContainText("Open");
  await expect(table).not.toContainText(token);

  // Revoke with the keyboard: the button, then the dialog's confirm.
  await row.getByRole("button", { name: /^Revoke the invite link made/ }).press("Enter");
  const dialog = admin.getByRole("dialog", { name: "Revoke this invite link?" });
  await expect(dialog).toBeVisible();
  await dialog.getByRole("button", { name: "Revoke link" }).click();
  await expect(admin.getByRole("status").filter({ hasText: /is revoked\.$/ })).toBeVisible();
  await expect(dialog).toBeHidden();
  const revokedRow = table.getByTestId("invite-row").filter({ hasText: "Revoked" }).first();
  await expect(revokedRow).toContainText(`by ${user.username}`);
  await expect(revokedRow.getByRole("button")).toHaveCount(0);

  // The revoked link, opened by the person it was sent to.
  const visitor = await (await browser.newContext()).newPage();
  await visitor.goto(new URL(link).pathname + new URL(link).search);
  await expect(visitor.getByRole("heading", { name: "This invite link cannot be used" })).toBeVisible();
  await expect(visitor.getByTestId("invite-problem")).toHaveText(
    "This invite link was revoked by an administrator. Ask an administrator for a new one.",
  );
  await expect(visitor.getByRole("button", { name: "Create account" })).toHaveCount(0);
});
