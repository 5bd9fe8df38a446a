import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { VersionBadge } from "./version-badge";

const text = (html: string) => html.replace(/<[^>]+>/g, "");

describe("VersionBadge", () => {
  it.each([
    ["v1.33.4-gke.100", "supported", "Supported"],
    ["v1.31.2", "ending", "Support ending"],
    ["v1.30.14", "unsupported", "Unsupported"],
    ["v1.34.0", "unsupported", "Unsupported"],
    ["garbage", "unknown", "Unknown"],
    [null, "unknown", "Unknown"],
  ])("%j reads %s in words, not only in colour", (version, status, label) => {
    const html = renderToStaticMarkup(createElement(VersionBadge, { version }));
    expect(html).toContain(`data-status="${status}"`);
    expect(text(html)).toMatch(new RegExp(`^.${label}$`));
    expect(html).toContain('aria-hidden="true"');
  });
  it("carries the end-of-support condition as its title", () => {
    expect(renderToStaticMarkup(createElement(VersionBadge, { version: "1.33.0" }))).toContain(
      'title="Support ends with release 19.2 or when 1.36 becomes supported"',
    );
  });
});
