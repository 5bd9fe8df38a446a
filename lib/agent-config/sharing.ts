// The Sharing tab: edits an agent's configuration without YAML. Each change reads the newest version,
// edits its YAML document in place (so comments and the rest of the file survive), validates the
// result like any other configuration and saves it as a new version. Nothing is written when the
// target does not exist, the entry is already there, or the actor is not a maintainer.
import { isMap, isSeq, parseDocument, type Document } from "yaml";
import { z } from "zod";
import { can, findManageableAgent, findVisibleAgent, type Actor } from "@/lib/access";
import type { Db } from "@/lib/db/client";
import { Conflict, Invalid, invalidFrom } from "@/lib/errors";
import { accessAsOf, describeShareEntry, parseAgentConfig, shareEntries, type AccessAs, type ShareEntry } from "./parse";
import { currentAgentConfig } from "./in-force";
import { saveAgentConfig, StaleConfig } from "./versions";

const target = z.string().trim().toLowerCase().min(1, "Enter a project's full path (group/project) or a group's path").max(255, "Path is too long");

export const addShareSchema = z
  .object({
    access: z.enum(["ci_access", "user_access"], { error: "Choose CI access or user access" }),
    targetType: z.enum(["project", "group"], { error: "Choose a project or a group" }),
    target,
    accessAs: z.enum(["agent", "ci_job", "user"], { error: "Choose how the agent acts: as itself, as the CI job or as the user" }).default("agent"),
    defaultNamespace: z
      .string()
      .trim()
      .max(63, "A namespace name has at most 63 characters")
      .regex(/^([a-z0-9]([-a-z0-9]*[a-z0-9])?)?$/, "Use a Kubernetes namespace name: lower-case letters, digits and '-'")
      .optional()
      .transform((v) => v || undefined),
  })
  .superRefine((v, ctx) => {
    if (v.access === "ci_access" && v.accessAs === "user") ctx.addIssue({ code: "custom", path: ["accessAs"], message: "CI access acts as the agent or as the CI job, not as a user" });
    if (v.access === "user_access" && v.accessAs === "ci_job") ctx.addIssue({ code: "custom", path: ["accessAs"], message: "User access acts as the agent or as the user, not as a CI job" });
    if (v.access === "user_access" && v.defaultNamespace) ctx.addIssue({ code: "custom", path: ["defaultNamespace"], message: "A default namespace applies to CI access only" });
  });

export const removeShareSchema = z.object({
  access: z.enum(["ci_access", "user_access"], { error: "Say which entry to remove: ci_access or user_access" }),
  targetType: z.enum(["project", "group"], { error: "Say which entry to remove: a project or a group" }),
  target,
});

export type AddShare = z.infer<typeof addShareSchema>;
export type RemoveShare = z.infer<typeof removeShareSchema>;

function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  const r = schema.safeParse(input);
  if (!r.success) throw invalidFrom(r.error);
  return r.data;
}

const listKey = (t: "project" | "group") => (t === "project" ? "projects" : "groups");
const label = (e: { access: string; targetType: string; target: string }) => `${e.targetType} ${e.target} (${e.access === "ci_access" ? "CI access" : "user access"})`;

/** The document of the newest version (an empty map when there is none). */
function documentOf(text: string): Document {
  const doc: Document = parseDocument(text);
  if (doc.contents === null || doc.contents === undefined) doc.contents = doc.createNode({});
  // "{}" written by hand: grow it as a block map, like the rest of the file.
  if (isMap(doc.contents) && doc.contents.items.length === 0) doc.contents.flow = false;
  return doc;
}

function entryIndexes(doc: Document, path: string[], targetPath: string): number[] {
  const seq = doc.getIn(path, true);
  if (!isSeq(seq)) return [];
  const found: number[] = [];
  seq.items.forEach((item, i) => {
    const id = isMap(item) ? item.get("id") : undefined;
    if (typeof id === "string" && id.trim().toLowerCase() === targetPath) found.push(i);
  });
  return found;
}

/** Removes a key whose map or list became empty, from the inside out. */
function prune(doc: Document, path: string[]): void {
  for (let n = path.length; n > 0; n--) {
    const node = doc.getIn(path.slice(0, n), true);
    const empty = (isSeq(node) || isMap(node)) && node.items.length === 0;
    const nothing = node === null || node === undefined;
    if (!empty && !nothing) return;
    if (empty) doc.deleteIn(path.slice(0, n));
  }
}

/** Appends to the list at `path`, creating it (and the maps above it) when missing. */
function append(doc: Document, path: string[], value: object): void {
  if (isSeq(doc.getIn(path, true))) doc.addIn(path, doc.createNode(value));
  else doc.setIn(path, doc.createNode([value]));
}

function flowMap(doc: Document, value: object) {
  const node = doc.createNode(value);
  node.flow = true;
  return node;
}

async function targetExists(db: Db, targetType: "project" | "group", path: string): Promise<void> {
  const found =
    targetType === "project"
      ? await db.project.findUnique({ where: { fullPath: path }, select: { id: true } })
      : await db.group.findUnique({ where: { path }, select: { id: true } });
  if (!found) {
    throw new Invalid(targetType === "project" ? `There is no project "${path}". Use the project's full path, e.g. group/project.` : `There is no group "${path}". Use the group's path, as in its address.`, "target");
  }
}

const manageable = (db: Db, actor: Actor, agentId: string) => findManageableAgent(db, actor, agentId, "You need the maintainer or owner role in this project to change the agent's sharing");

const sameTarget = (a: { access: string; targetType: string; target: string }, b: { access: string; targetType: string; target: string }) =>
  a.access === b.access && a.targetType === b.targetType && a.target === b.target;

/**
 * The configuration with `want` added (or, when that project or group is already listed, changed to
 * `want`): pure, so the YAML editing is unit-tested on its own. Throws Conflict when nothing changes.
 */
export function withShareAdded(yamlText: string, want: AddShare): { yaml: string; entry: ShareEntry; change: "added" | "updated" } {
  const doc = documentOf(yamlText);
  const listPath = [want.access, listKey(want.targetType)];
  const existing = entryIndexes(doc, listPath, want.target);
  const entry: ShareEntry = { access: want.access, targetType: want.targetType, target: want.target, accessAs: want.accessAs as AccessAs, defaultNamespace: want.defaultNamespace ?? null };
  const same = shareEntries(parseAgentConfig(yamlText)).find((e) => sameTarget(e, entry));
  if (same && describeShareEntry(same) === describeShareEntry(entry)) throw new Conflict(`The agent is already shared with ${label(entry)} this way`, "target");

  if (want.access === "ci_access") {
    const item: Record<string, unknown> = { id: want.target };
    if (want.defaultNamespace) item.default_namespace = want.defaultNamespace;
    if (want.accessAs !== "agent") item.access_as = flowMap(doc, { [want.accessAs]: {} });
    // A changed entry replaces the old one where it was; a new one goes at the end.
    if (existing.length > 0) {
      for (const i of existing.slice(1).reverse()) doc.deleteIn([...listPath, i]);
      doc.setIn([...listPath, existing[0]!], doc.createNode(item));
    } else {
      append(doc, listPath, item);
    }
  } else {
    if (existing.length === 0) append(doc, listPath, { id: want.target });
    // user_access has one access_as for all its entries.
    if (want.accessAs === "agent") doc.deleteIn(["user_access", "access_as"]);
    else doc.setIn(["user_access", "access_as"], flowMap(doc, { [want.accessAs]: {} }));
  }
  const yaml = String(doc);
  parseAgentConfig(yaml); // never produce what the YAML editor would refuse
  return { yaml, entry, change: same ? "updated" : "added" };
}

/** The configuration without that project or group in ci_access or user_access. Throws Conflict when it is not there. */
export function withShareRemoved(yamlText: string, want: RemoveShare): { yaml: string; removed: ShareEntry } {
  const doc = documentOf(yamlText);
  const listPath = [want.access, listKey(want.targetType)];
  const existing = entryIndexes(doc, listPath, want.target);
  const removed = shareEntries(parseAgentConfig(yamlText)).find((e) => sameTarget(e, want));
  if (existing.length === 0 || !removed) throw new Conflict(`The agent is not shared with ${label(want)}; it may have been removed already. Reload to see the current sharing.`, "target");
  for (const i of [...existing].reverse()) doc.deleteIn([...listPath, i]);
  prune(doc, listPath);
  // user_access without entries: its access_as means nothing any more.
  if (want.access === "user_access") {
    const ua = doc.getIn(["user_access"], true);
    if (isMap(ua) && !ua.has("projects") && !ua.has("groups")) doc.deleteIn(["user_access"]);
  }
  const yaml = String(doc);
  parseAgentConfig(yaml);
  return { yaml, removed };
}

/** Applies an edit to the newest version and saves the result; retried when another save slipped in between. */
async function editConfig(db: Db, actor: Actor, agentId: string, edit: (yaml: string) => { yaml: string; details: Record<string, string> }) {
  for (let attempt = 1; ; attempt++) {
    const current = await currentAgentConfig(db, agentId);
    const { yaml, details } = edit(current.yaml);
    try {
      return await saveAgentConfig(db, actor, agentId, yaml, { expectedVersion: current.version, audit: { action: "agent_sharing.changed", details } });
    } catch (e) {
      if (!(e instanceof StaleConfig) || attempt >= 3) throw e;
    }
  }
}

/** Shares the agent with a project or group (or changes how an existing entry acts): a new version. */
export async function addShare(db: Db, actor: Actor, agentId: string, input: unknown): Promise<{ version: number; entry: ShareEntry }> {
  const want = parse(addShareSchema, input);
  await manageable(db, actor, agentId);
  await targetExists(db, want.targetType, want.target);
  let entry: ShareEntry | undefined;
  const { version } = await editConfig(db, actor, agentId, (yaml) => {
    const r = withShareAdded(yaml, want);
    entry = r.entry;
    return { yaml: r.yaml, details: { change: r.change, share: describeShareEntry(r.entry) } };
  });
  return { version, entry: entry! };
}

/** Stops sharing the agent with a project or group: a new version without that entry. */
export async function removeShare(db: Db, actor: Actor, agentId: string, input: unknown): Promise<{ version: number }> {
  const want = parse(removeShareSchema, input);
  await manageable(db, actor, agentId);
  return editConfig(db, actor, agentId, (yaml) => {
    const r = withShareRemoved(yaml, want);
    return { yaml: r.yaml, details: { change: "removed", share: describeShareEntry(r.removed) } };
  });
}

export interface SharingView {
  canManage: boolean;
  version: number;
  userAccessAs: AccessAs;
  entries: ShareEntry[];
  /** Groups and projects the actor can see, offered as targets (any existing path is accepted). */
  suggestions: { groups: string[]; projects: string[] };
}

export async function sharingView(db: Db, actor: Actor, agentId: string): Promise<SharingView> {
  const { facts } = await findVisibleAgent(db, actor, agentId);
  const canManage = can.manageProjectAgents(actor, facts);
  const current = await currentAgentConfig(db, agentId);
  const entries = shareEntries(current.data);
  let suggestions = { groups: [] as string[], projects: [] as string[] };
  if (canManage) {
    const groups = await db.group.findMany({ where: actor.isAdmin ? {} : { members: { some: { userId: actor.id } } }, select: { path: true }, orderBy: { path: "asc" }, take: 500 });
    const projects = await db.project.findMany({
      where: actor.isAdmin ? {} : { OR: [{ ownerUserId: actor.id }, { group: { members: { some: { userId: actor.id } } } }] },
      select: { fullPath: true },
      orderBy: { fullPath: "asc" },
      take: 500,
    });
    suggestions = { groups: groups.map((g) => g.path), projects: projects.map((p) => p.fullPath) };
  }
  return { canManage, version: current.version, userAccessAs: accessAsOf(current.data.user_access?.access_as), entries, suggestions };
}
