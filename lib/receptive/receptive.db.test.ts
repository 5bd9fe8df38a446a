// Receptive URL configurations on SQLite and PostgreSQL: who may read and change them, what is never
// shown (private keys), what is refused (bad URLs, certificates, mismatched keys), the audit trail, the
// encryption at rest, and kas's view with its change signal.
import { createPublicKey } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { signUp } from "@/lib/auth/users";
import { createDb, type Db } from "@/lib/db/client";
import { migrate } from "@/lib/db/migrate";
import { freshDatabase, type TestDatabase } from "@/lib/db/test-databases";
import { Forbidden, Invalid, NotFound } from "@/lib/errors";
import { addGroupMember, createGroup } from "@/lib/groups";
import { agentView, listProjectAgents, registerAgent, type KasStatusSource } from "@/lib/agents";
import { createProject } from "@/lib/projects";
import { makeTestPki, type TestPki } from "@/kas/receptive/test-pki";
import {
  decryptSecret,
  deleteReceptiveUrl,
  getReceptiveUrl,
  receptiveAgentsForKas,
  receptiveTargetsForKas,
  recordReceptiveState,
  setReceptiveUrl,
} from ".";

type U = { id: string; username: string; isAdmin: boolean };

describe.each(["sqlite", "postgresql"] as const)(
  "receptive URL configuration on %s",
  { timeout: 30_000 },
  (provider) => {
    let tdb: TestDatabase;
    let db: Db;
    let pki: TestPki;
    let agentId = "";
    let projectId = "";
    const users: Record<string, U> = {};
    const u = (n: string) => users[n]!;

    beforeAll(async () => {
      process.env.TETHER_RECEPTIVE_ENCRYPTION_KEY ??= Buffer.alloc(32, 9).toString("base64");
      tdb = await freshDatabase(provider);
      await migrate(tdb.target);
      db = createDb(tdb.target);
      for (const name of ["olga", "mia", "dev", "out"]) {
        const r = await signUp(db, { name, username: name, email: `${name}@example.com`, password: "password123" });
        if (!r.ok) throw new Error(r.error);
        users[name] = { id: r.user.id, username: r.user.username, isAdmin: r.user.isAdmin };
      }
      await createGroup(db, u("olga"), { name: "Platform", path: "platform" });
      await addGroupMember(db, u("olga"), "platform", { username: "mia", role: "maintainer" });
      await addGroupMember(db, u("olga"), "platform", { username: "dev", role: "developer" });
      const project = await createProject(db, u("olga"), { name: "Infra", path: "infra", namespace: "platform" });
      projectId = project.id;
      agentId = (await registerAgent(db, u("mia"), project.id, { name: "behind-vpn" })).id;
      await registerAgent(db, u("mia"), project.id, { name: "ordinary" });
      pki = await makeTestPki();
    }, 60_000);
    afterAll(async () => {
      await db?.$disconnect();
      await tdb?.drop();
    });

    it("a maintainer adds a URL with a generated Ed25519 key; developers see the public key, never the private one", async () => {
      const { version: since, agents: none } = await receptiveAgentsForKas(db, "", 0);
      expect(none).toEqual([]);
      // kas's long poll, held (the re-read is slower than the test: the change signal answers it).
      const changed = receptiveAgentsForKas(db, since, 20_000, 20_000);
      const v = await setReceptiveUrl(db, u("mia"), agentId, {
        url: "grpcs://agent.example.com:8082",
        caCert: pki.serverCa.cert,
        auth: { method: "jwt" },
      });
      const answer = await changed;
      expect(answer.version).not.toBe(since);
      expect(answer.agents.map((a) => a.agentId)).toEqual([agentId]);
      expect(v).toMatchObject({
        url: "grpcs://agent.example.com:8082",
        authMethod: "jwt",
        encrypted: true,
        state: "connecting",
      });
      expect(createPublicKey(v.publicKey!).asymmetricKeyType).toBe("ed25519");
      const seen = await getReceptiveUrl(db, u("dev"), agentId);
      expect(seen?.publicKey).toBe(v.publicKey);
      expect(JSON.stringify(seen)).not.toMatch(/PRIVATE KEY|privateKey/);
      const row = await db.receptiveUrl.findUniqueOrThrow({ where: { agentId } });
      expect(row.privateKeyEncrypted).toMatch(/^v1:/);
      expect(row.privateKeyEncrypted).not.toContain("PRIVATE KEY");
      const audit = await db.auditEvent.findMany({
        where: { targetId: agentId, action: { startsWith: "receptive_url." } },
      });
      expect(audit.map((a) => a.action)).toEqual(["receptive_url.created"]);
    });

    it("developers cannot change it and outsiders cannot see it; bad input changes nothing", async () => {
      const input = { url: "grpcs://other:1", auth: { method: "jwt" } };
      await expect(setReceptiveUrl(db, u("dev"), agentId, input)).rejects.toBeInstanceOf(Forbidden);
      await expect(getReceptiveUrl(db, u("out"), agentId)).rejects.toBeInstanceOf(NotFound);
      await expect(
        setReceptiveUrl(db, u("mia"), agentId, { url: "https://x:1", auth: { method: "jwt" } }),
      ).rejects.toThrow(/grpcs:\/\/host:port/);
      await expect(
        setReceptiveUrl(db, u("mia"), agentId, { url: "grpcs://x:1", caCert: "not a cert", auth: { method: "jwt" } }),
      ).rejects.toBeInstanceOf(Invalid);
      await expect(
        setReceptiveUrl(db, u("mia"), agentId, {
          url: "grpcs://x:1",
          auth: { method: "mtls", clientCert: pki.client.cert, clientKey: pki.strangerClient.key },
        }),
      ).rejects.toThrow("The private key does not belong to the client certificate");
      expect((await getReceptiveUrl(db, u("mia"), agentId))?.url).toBe("grpcs://agent.example.com:8082");
    });

    it("saving again keeps the key pair; rotateKey makes a new one; kas gets the decrypted private key", async () => {
      const before = (await getReceptiveUrl(db, u("mia"), agentId))!.publicKey;
      const same = await setReceptiveUrl(db, u("mia"), agentId, {
        url: "grpcs://agent.example.com:9000",
        auth: { method: "jwt" },
      });
      expect(same.publicKey).toBe(before);
      const rotated = await setReceptiveUrl(db, u("olga"), agentId, {
        url: "grpcs://agent.example.com:9000",
        auth: { method: "jwt", rotateKey: true },
      });
      expect(rotated.publicKey).not.toBe(before);
      const [target] = await receptiveTargetsForKas(db);
      expect(target).toMatchObject({ agentId, url: "grpcs://agent.example.com:9000" });
      const priv = target!.auth.method === "jwt" ? target!.auth.privateKeyPem : "";
      expect(createPublicKey(priv).export({ type: "spki", format: "pem" }).toString()).toBe(rotated.publicKey);
      // A ciphertext bound to one agent does not decrypt as another's.
      const row = await db.receptiveUrl.findUniqueOrThrow({ where: { agentId } });
      expect(() => decryptSecret(row.privateKeyEncrypted, "another-agent")).toThrow(/does not decrypt/);
    });

    it("mTLS: an uploaded client certificate and key; the page shows the subject only", async () => {
      const v = await setReceptiveUrl(db, u("mia"), agentId, {
        url: "grpcs://agent.example.com:9000",
        auth: { method: "mtls", clientCert: pki.client.cert, clientKey: pki.client.key },
      });
      expect(v).toMatchObject({ authMethod: "mtls", publicKey: null, clientCertSubject: "CN=kas" });
      const [target] = await receptiveTargetsForKas(db);
      expect(target!.auth).toMatchObject({ method: "mtls", clientCertPem: pki.client.cert });
    });

    it("two web replicas: both answer kas with the same version, so a poll that reaches the other one waits; a change saved by the other one reaches a held poll at its next re-read; kas's reports change nothing", async () => {
      // Another replica: its own database client, and a change that never passes this process's signal.
      const other = createDb(tdb.target);
      try {
        const here = await receptiveAgentsForKas(db, "", 0);
        const there = await receptiveAgentsForKas(other, "", 0);
        expect(there.version).toBe(here.version);
        // A report of the connection is no change of what kas dials: the version stays.
        await recordReceptiveState(other, agentId, "connecting", null);
        expect((await receptiveAgentsForKas(db, "", 0)).version).toBe(here.version);

        const held = receptiveAgentsForKas(db, here.version, 20_000, 50);
        await other.receptiveUrl.update({ where: { agentId }, data: { url: "grpcs://moved.example.com:9000" } });
        const answer = await held;
        expect(answer.version).not.toBe(here.version);
        expect(answer.agents).toEqual([expect.objectContaining({ agentId, url: "grpcs://moved.example.com:9000" })]);
        expect((await receptiveAgentsForKas(other, "", 0)).version).toBe(answer.version);
        await other.receptiveUrl.update({ where: { agentId }, data: { url: "grpcs://agent.example.com:9000" } });
        expect((await receptiveAgentsForKas(db, "", 0)).version).toBe(here.version);
      } finally {
        await other.$disconnect();
      }
    });

    it("kas's reports show on the configuration; deleting it is audited and kas is told", async () => {
      await recordReceptiveState(
        db,
        agentId,
        "failing",
        "kas cannot reach grpcs://agent.example.com:9000: connect ECONNREFUSED (retrying in 8 s)",
      );
      expect(await getReceptiveUrl(db, u("dev"), agentId)).toMatchObject({
        state: "failing",
        stateMessage: "kas cannot reach grpcs://agent.example.com:9000: connect ECONNREFUSED (retrying in 8 s)",
        lastConnectedAt: null,
      });
      // The project's agent list: the row is marked receptive and says why kas cannot connect.
      const notConnected: KasStatusSource = async (ids) =>
        new Map(ids.map((id) => [id, { connected: false, lastSeenMs: 0 }]));
      const list = await listProjectAgents(db, u("dev"), projectId, notConnected);
      expect(list.agents.map((a) => [a.name, a.status, a.receptive])).toEqual([
        [
          "behind-vpn",
          "never_connected",
          {
            url: "grpcs://agent.example.com:9000",
            state: "failing",
            message: "kas cannot reach grpcs://agent.example.com:9000: connect ECONNREFUSED (retrying in 8 s)",
            lastConnectedAt: null,
          },
        ],
        ["ordinary", "never_connected", null],
      ]);
      await recordReceptiveState(db, agentId, "connected", null);
      expect((await getReceptiveUrl(db, u("dev"), agentId))?.lastConnectedAt).not.toBeNull();
      const row = (await agentView(db, u("dev"), agentId, notConnected)).agent.receptive;
      expect(row).toMatchObject({ state: "connected", message: null });
      expect(row?.lastConnectedAt).toBe((await getReceptiveUrl(db, u("dev"), agentId))?.lastConnectedAt);
      const since = (await receptiveAgentsForKas(db, "", 0)).version;
      const told = receptiveAgentsForKas(db, since, 20_000, 20_000);
      await expect(deleteReceptiveUrl(db, u("dev"), agentId)).rejects.toBeInstanceOf(Forbidden);
      await deleteReceptiveUrl(db, u("mia"), agentId);
      expect(await told).toEqual({ version: expect.not.stringMatching(`^${since}$`), agents: [] });
      expect(await getReceptiveUrl(db, u("dev"), agentId)).toBeNull();
      expect(await receptiveTargetsForKas(db)).toEqual([]);
      expect((await agentView(db, u("dev"), agentId, notConnected)).agent.receptive).toBeNull();
      const actions = (
        await db.auditEvent.findMany({ where: { targetId: agentId, action: { startsWith: "receptive_url." } } })
      ).map((a) => a.action);
      expect(actions).toContain("receptive_url.deleted");
      expect(JSON.stringify(await db.auditEvent.findMany({ where: { targetId: agentId } }))).not.toContain(
        "PRIVATE KEY",
      );
    });
  },
);
