import { createHmac } from "node:crypto";
import { describe, expect, it } from "vitest";
import { checkSignature, deliveryIdOf, eventKind, parsePush, PayloadError } from "./delivery";

const secret = "whsec-test-0123456789";
const body = Buffer.from(
  JSON.stringify({
    ref: "refs/heads/main",
    after: "a".repeat(40),
    repository: { clone_url: "https://git.example.com/group/app.git", ssh_url: "git@git.example.com:group/app.git" },
  }),
);
const hmac = (key: string, b: Buffer) => `sha256=${createHmac("sha256", key).update(b).digest("hex")}`;

describe("checkSignature", () => {
  it("accepts GitLab's token when it is the secret, and refuses another", () => {
    expect(
      checkSignature(new Headers({ "x-gitlab-token": secret, "x-gitlab-event": "Push Hook" }), body, secret),
    ).toEqual({ ok: true, forge: "gitlab" });
    const wrong = checkSignature(new Headers({ "x-gitlab-token": `${secret}x` }), body, secret);
    expect(wrong).toMatchObject({ ok: false, forge: "gitlab" });
  });

  it("accepts GitHub's and Gitea's HMAC of the body", () => {
    expect(
      checkSignature(
        new Headers({ "x-hub-signature-256": hmac(secret, body), "x-github-event": "push" }),
        body,
        secret,
      ),
    ).toEqual({ ok: true, forge: "github" });
    expect(
      checkSignature(new Headers({ "x-hub-signature-256": hmac(secret, body), "x-gitea-event": "push" }), body, secret),
    ).toEqual({ ok: true, forge: "gitea" });
    const bare = hmac(secret, body).slice("sha256=".length);
    expect(checkSignature(new Headers({ "x-forgejo-signature": bare }), body, secret)).toEqual({
      ok: true,
      forge: "gitea",
    });
  });

  it("refuses a forged HMAC: another key, or the right key over another body", () => {
    const forged = checkSignature(new Headers({ "x-hub-signature-256": hmac("guess", body) }), body, secret);
    expect(forged).toMatchObject({ ok: false, reason: expect.stringContaining("does not match") });
    const tampered = Buffer.from(body.toString().replace("main", "evil"));
    expect(checkSignature(new Headers({ "x-hub-signature-256": hmac(secret, body) }), tampered, secret).ok).toBe(false);
  });

  it("refuses a delivery without proof, or with a malformed signature, saying which", () => {
    expect(checkSignature(new Headers({ "x-github-event": "push" }), body, secret)).toMatchObject({
      ok: false,
      reason: expect.stringContaining("no signature"),
    });
    expect(checkSignature(new Headers({ "x-hub-signature-256": "sha1=abc" }), body, secret)).toMatchObject({
      ok: false,
      reason: expect.stringContaining("malformed"),
    });
  });
});

describe("delivery id and event", () => {
  it("takes the forge's delivery id, else the body's hash", () => {
    expect(deliveryIdOf(new Headers({ "x-github-delivery": "72d3162e-cc78" }), body)).toBe("72d3162e-cc78");
    expect(deliveryIdOf(new Headers({ "x-gitlab-event-uuid": "u-1" }), body)).toBe("u-1");
    expect(deliveryIdOf(new Headers(), body)).toMatch(/^sha256:[0-9a-f]{64}$/);
  });
  it("tells pushes from pings and other events", () => {
    expect(eventKind(new Headers({ "x-gitlab-event": "Tag Push Hook" }))).toBe("push");
    expect(eventKind(new Headers({ "x-github-event": "ping" }))).toBe("ping");
    expect(eventKind(new Headers({ "x-gitea-event": "issues" }))).toBe("other");
  });
});

describe("parsePush", () => {
  it("reads GitHub's and GitLab's push payloads", () => {
    expect(parsePush(body, "application/json")).toEqual({
      ref: "refs/heads/main",
      after: "a".repeat(40),
      repositoryUrls: ["https://git.example.com/group/app.git", "git@git.example.com:group/app.git"],
      deleted: false,
    });
    const gitlab = Buffer.from(
      JSON.stringify({
        object_kind: "push",
        ref: "refs/heads/dev",
        after: "b".repeat(40),
        project: { git_http_url: "https://gl.example.com/g/p.git", git_ssh_url: "git@gl.example.com:g/p.git" },
        repository: { homepage: "https://gl.example.com/g/p" },
      }),
    );
    expect(parsePush(gitlab, "application/json").repositoryUrls).toEqual([
      "https://gl.example.com/g/p.git",
      "git@gl.example.com:g/p.git",
    ]);
  });

  it("reads GitHub's form-encoded payload", () => {
    const form = Buffer.from(new URLSearchParams({ payload: body.toString() }).toString());
    expect(parsePush(form, "application/x-www-form-urlencoded").ref).toBe("refs/heads/main");
  });

  it("names the field that is wrong", () => {
    const bad = (o: unknown) => () => parsePush(Buffer.from(JSON.stringify(o)), "application/json");
    expect(bad({ ref: "main", after: "a".repeat(40), repository: {} })).toThrow(/payload field "ref"/);
    expect(bad({ ref: "refs/heads/main", after: "xyz", repository: {} })).toThrow(/payload field "after"/);
    expect(bad({ ref: "refs/heads/main", after: "a".repeat(40) })).toThrow(/payload field "repository"/);
    expect(bad({ ref: "refs/heads/main", after: "a".repeat(40), repository: { name: "app" } })).toThrow(
      /"repository": names no clone URL/,
    );
    expect(() => parsePush(Buffer.from("{not json"), "application/json")).toThrow(PayloadError);
  });
});
