import { describe, expect, it } from "vitest";
import { isJsonContentType, readJsonBody } from "./body";

describe("isJsonContentType", () => {
  it.each([
    "application/json",
    "application/json; charset=utf-8",
    'Application/JSON;charset="UTF-8"',
    " application/json ",
  ])("accepts %s", (header) => {
    expect(isJsonContentType(header)).toBe(true);
  });

  it.each([
    "text/plain; x=application/json",
    "text/plain;application/json",
    "application/x-www-form-urlencoded; a=application/json",
    "multipart/form-data; boundary=application/json",
    "application/jsonp",
    "application/json-seq",
    "application/json; charset=latin1",
    "",
  ])("refuses %j: only the media type itself counts", (header) => {
    expect(isJsonContentType(header)).toBe(false);
  });

  it("refuses a missing header", () => {
    expect(isJsonContentType(null)).toBe(false);
  });
});

describe("readJsonBody", () => {
  const post = (contentType: string, body: string) =>
    new Request("http://localhost/api/x", { method: "POST", headers: { "content-type": contentType }, body });

  it("refuses a JSON body labelled as text with a JSON-looking parameter with 415", async () => {
    await expect(readJsonBody(post("text/plain; x=application/json", '{"a":1}'))).rejects.toMatchObject({
      status: 415,
    });
  });

  it("reads a JSON body", async () => {
    await expect(readJsonBody(post("application/json; charset=utf-8", '{"a":1}'))).resolves.toEqual({ a: 1 });
  });
});
