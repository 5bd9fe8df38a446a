import { describe, expect, it } from "vitest";
import { z } from "zod";
import { Invalid, invalidFrom } from "./errors";

describe("invalidFrom", () => {
  const schema = z.object({
    name: z.string().min(1, "Enter a name"),
    tags: z.array(z.string().max(3, "Tag is too long")),
  });
  const failed = (input: unknown) => schema.safeParse(input).error!;

  it("tells the first issue and names its field by its path", () => {
    const e = invalidFrom(failed({ name: "", tags: [] }));
    expect(e).toBeInstanceOf(Invalid);
    expect(e).toMatchObject({ message: "Enter a name", field: "name" });
    expect(invalidFrom(failed({ name: "a", tags: ["ok", "toolong"] }))).toMatchObject({
      message: "Tag is too long",
      field: "tags.1",
    });
  });

  it("puts every message on one field when the form has only one", () => {
    expect(invalidFrom(failed({ name: "", tags: [] }), { field: "yaml" })).toMatchObject({
      message: "Enter a name",
      field: "yaml",
    });
  });
});
