import { describe, expect, it } from "vitest";
import { HEARTBEAT_MS, connectionStatus, lastContact, recentlyInContact } from "./status";

const now = Date.UTC(2025, 5, 1, 12, 0, 0);
const ago = (ms: number) => new Date(now - ms);

describe("connectionStatus", () => {
  const seen = { firstContactAt: ago(3600_000), lastContactAt: ago(10_000) };
  it("is what kas says when kas answers", () => {
    expect(connectionStatus(seen, { connected: true, lastSeenMs: now }, now)).toBe("connected");
    expect(connectionStatus(seen, { connected: false, lastSeenMs: now - 10_000 }, now)).toBe("not_connected");
  });
  it("is never connected while the agent has never made contact, unless kas sees it right now", () => {
    const fresh = { firstContactAt: null, lastContactAt: null };
    expect(connectionStatus(fresh, { connected: false, lastSeenMs: 0 }, now)).toBe("never_connected");
    expect(connectionStatus(fresh, null, now)).toBe("never_connected");
    expect(connectionStatus(fresh, { connected: true, lastSeenMs: now }, now)).toBe("connected");
  });
  it("falls back to the last heartbeat, within two intervals, when kas cannot be asked", () => {
    expect(connectionStatus({ ...seen, lastContactAt: ago(2 * HEARTBEAT_MS) }, null, now)).toBe("connected");
    expect(connectionStatus({ ...seen, lastContactAt: ago(2 * HEARTBEAT_MS + 1) }, null, now)).toBe("not_connected");
    expect(connectionStatus({ ...seen, lastContactAt: null }, null, now)).toBe("not_connected");
  });
  it("does not trust a recent heartbeat when kas says the agent is gone (e.g. its token was revoked)", () => {
    expect(
      connectionStatus({ ...seen, lastContactAt: ago(1_000) }, { connected: false, lastSeenMs: now - 1_000 }, now),
    ).toBe("not_connected");
  });
});

describe("lastContact", () => {
  it("is the later of the database's heartbeat and kas's last sighting", () => {
    const facts = { firstContactAt: ago(60_000), lastContactAt: ago(20_000) };
    expect(lastContact(facts, { connected: true, lastSeenMs: now })?.getTime()).toBe(now);
    expect(lastContact(facts, { connected: false, lastSeenMs: 0 })?.getTime()).toBe(now - 20_000);
    expect(lastContact(facts, null)?.getTime()).toBe(now - 20_000);
    expect(lastContact({ firstContactAt: null, lastContactAt: null }, { connected: false, lastSeenMs: 0 })).toBeNull();
  });

  it("says an agent was recently in contact from the database alone: within two heartbeats of its last contact", () => {
    const at = (ms: number | null, first: number | null = ms) => ({
      firstContactAt: first === null ? null : new Date(first),
      lastContactAt: ms === null ? null : new Date(ms),
    });
    expect(recentlyInContact(at(1_000_000 - 60_000), 1_000_000)).toBe(true);
    expect(recentlyInContact(at(1_000_000 - 60_001), 1_000_000)).toBe(false);
    expect(recentlyInContact(at(null), 1_000_000)).toBe(false);
  });
});
