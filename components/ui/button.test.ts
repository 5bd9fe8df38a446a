import { createElement } from "react";
import { renderToString } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { Button } from "./button";

// The server's HTML is what a person (or a quick test) can press before the page's handlers are attached.
describe("Button in the server's HTML", () => {
  it("a submit button is disabled until the page is hydrated, so the browser never submits the form itself", () => {
    const html = renderToString(createElement(Button, { type: "submit" }, "Create account"));
    expect(html).toMatch(/<button[^>]* disabled=""[^>]*>Create account<\/button>/);
  });

  it("other buttons are not held back, and a disabled one stays disabled", () => {
    expect(renderToString(createElement(Button, { type: "button" }, "Cancel"))).not.toContain('disabled=""');
    expect(renderToString(createElement(Button, { type: "button", disabled: true }, "Busy"))).toContain('disabled=""');
  });
});
