import { createElement } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { describe, expect, it } from "vitest";
import { currentSupportedMinors, endOfSupportText } from "@/lib/versions/policy";
import { MinorStateBadge, VersionBadge } from "./version-badge";

const text = (html: string) => html.replace(/<[^>]+>/g, "");

// Today's supported window, from the rules: the badge must follow it, whatever the day.
const today = currentSupportedMinors();
const newest = today[0]!;
const oldest = today[today.length - 1]!;
const shift = (minor: string, by: number) => `1.${Number(minor.split(".")[1]) + by}`;

describe("VersionBadge", () => {
  it.each([
    [`v${newest.minor}.4-gke.100`, "supported", "Supported"],
    [`v${shift(oldest.minor, -1)}.14`, "unsupported", "Unsupported"],
    [`v${shift(newest.minor, 1)}.0`, "unsupported", "Unsupported"],
    ["garbage", "unknown", "Unknown"],
    [null, "unknown", "Unknown"],
  ])("%j reads %s in words, not only in colour", (version, status, label) => {
    const html = renderToStaticMarkup(createElement(VersionBadge, { version }));
    expect(html).toContain(`data-status="${status}"`);
    expect(text(html)).toMatch(new RegExp(`^.${label}$`));
    expect(html).toContain('aria-hidden="true"');
  });
  it("carries the end-of-support condition as its title", () => {
    expect(renderToStaticMarkup(createElement(VersionBadge, { version: `${newest.minor}.0` }))).toContain(
      `title="${endOfSupportText(newest)}"`,
    );
  });
  it("on the oldest supported minor, adds a dated warning in words", () => {
    const html = renderToStaticMarkup(createElement(VersionBadge, { version: `v${oldest.minor}.2` }));
    expect(html).toContain('data-status="ending"');
    expect(text(html)).toBe(
      `!Support endinguntil ${oldest.endsWithReleaseDate} at the latest (or when ${oldest.endsWhenSupported} is supported)`,
    );
  });
});

describe("MinorStateBadge", () => {
  it.each([
    ["late", "Late"],
    ["preview", "Preview"],
    ["ended", "No longer supported"],
    ["awaiting", "New, being tested"],
  ] as const)("%s reads %j", (state, label) => {
    const html = renderToStaticMarkup(createElement(MinorStateBadge, { state }));
    expect(html).toContain(`data-state="${state}"`);
    expect(text(html).slice(1)).toBe(label);
  });
});
