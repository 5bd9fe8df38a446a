import { describe, expect, it } from "vitest";
import { plural } from "./plural";

describe("plural", () => {
  it("says one for 1 and the plural for 0, many and fractions", () => {
    expect(plural(1, "node")).toBe("1 node");
    expect(plural(0, "key")).toBe("0 keys");
    expect(plural(2, "key")).toBe("2 keys");
    expect(plural(1.5, "key")).toBe("1.5 keys");
  });

  it("takes an irregular plural, and prints the number as it is", () => {
    expect(plural(1, "ingress", "ingresses")).toBe("1 ingress");
    expect(plural(10_000, "pod")).toBe("10000 pods");
  });
});
