import { describe, expect, it } from "vitest";
import { PATH_MAX, slugFromName } from "./slug";

describe("slugFromName", () => {
  it("turns a name into a path the server accepts", () => {
    expect(slugFromName("Platform Team")).toBe("platform-team");
    expect(slugFromName("  Ünïcödé & Co. — Prod!  ")).toBe("unicode-co.-prod");
    expect(slugFromName("--edge_case--")).toBe("edge_case");
    expect(slugFromName("!!!")).toBe("");
  });

  it("keeps to the length limit without ending on a separator", () => {
    const long = slugFromName(`${"a".repeat(PATH_MAX - 1)} b`);
    expect(long).toBe("a".repeat(PATH_MAX - 1));
    expect(slugFromName("x".repeat(100))).toHaveLength(PATH_MAX);
  });
});
