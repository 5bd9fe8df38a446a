import { describe, expect, it } from "vitest";
import { fieldMessage, formMessage, lastUsedFromText, parseExpiryDays } from "./token-logic";

describe("parseExpiryDays", () => {
  it("takes a whole number of days, blanks around it too", () => {
    expect(parseExpiryDays("30", 365)).toEqual({ days: 30 });
    expect(parseExpiryDays(" 7 ", 365)).toEqual({ days: 7 });
  });

  it("says what it wants, with the largest number of days, for an empty field, a fraction or an exponent", () => {
    for (const raw of ["", "  ", "1.5", "1e3", "-3", "abc", "1000"]) {
      expect(parseExpiryDays(raw, 90)).toEqual({ error: "Enter a whole number of days from 1 to 90" });
    }
  });

  it("leaves the range to the server, whose message names the panel's own limit", () => {
    expect(parseExpiryDays("400", 365)).toEqual({ days: 400 });
  });
});

describe("fieldMessage and formMessage", () => {
  const failure = (field?: string) => ({ message: "Bad", field });

  it("shows a failure beside the field it names, or one of that field's items", () => {
    expect(fieldMessage(failure("name"), "name")).toBe("Bad");
    expect(fieldMessage(failure("scopes.0"), "scopes")).toBe("Bad");
    expect(fieldMessage(failure("scopes"), "name")).toBeUndefined();
    expect(fieldMessage(failure("nameX"), "name")).toBeUndefined();
    expect(formMessage(failure("name"))).toBeUndefined();
  });

  it("shows a failure that names no field above the form only", () => {
    expect(formMessage(failure())).toBe("Bad");
    expect(fieldMessage(failure(), "name")).toBeUndefined();
    expect(formMessage(null)).toBeUndefined();
    expect(fieldMessage(null, "name")).toBeUndefined();
  });
});

describe("lastUsedFromText", () => {
  it("names the pod and the address it knows", () => {
    expect(lastUsedFromText({ pod: "tether-agent-0", address: "10.0.0.7:4312" })).toBe(
      "pod tether-agent-0, address 10.0.0.7:4312",
    );
    expect(lastUsedFromText({ pod: null, address: "127.0.0.1:5000" })).toBe("address 127.0.0.1:5000");
    expect(lastUsedFromText({ pod: "p", address: null })).toBe("pod p");
  });
});
