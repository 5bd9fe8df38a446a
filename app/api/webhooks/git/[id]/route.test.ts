import { describe, expect, it } from "vitest";
import { POST } from "./route";

describe("POST /api/webhooks/git/:id", () => {
  const params = Promise.resolve({ id: "0123456789abcdef0123456789abcdef" });

  it("refuses a body over 1 MiB with 413 before reading it as a push", async () => {
    const declared = new Request("http://tether.test/api/webhooks/git/x", {
      method: "POST",
      headers: { "content-type": "application/json", "content-length": String(1024 * 1024 + 1) },
      body: "{}",
    });
    const res = await POST(declared, { params });
    expect(res.status).toBe(413);
    expect(((await res.json()) as { error: string }).error).toMatch(/too large \(limit 1 MiB\)/);

    // A body that says nothing of its length is cut off as it streams in.
    const streamed = new Request("http://tether.test/api/webhooks/git/x", {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: new ReadableStream({
        start(c) {
          for (let i = 0; i < 17; i++) c.enqueue(new Uint8Array(64 * 1024));
          c.close();
        },
      }),
      duplex: "half",
    } as RequestInit);
    expect((await POST(streamed, { params })).status).toBe(413);
  });
});
