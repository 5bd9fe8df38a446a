// The Sharing tab: edits an agent's configuration without YAML. Each change reads the newest version,
// edits its YAML document in place (so comments and the rest of the file survive), validates the
// result like any other configuration and saves it as a new version. Nothing is written when the
// target does not exist or is hidden from the actor, the entry is already there, or the actor is not a maintainer.
//
// How grants act (access_as) is one setting per block, user_access or ci_access: adding or removing a
// grant never changes how the other grants act; changing it is a step of its own (setSharingAccessAs),
// audited as such. user_access holds it once for the block; ci_access keeps GitLab's shape (access_as on
// each grant, as kas reads it), and the Sharing tab writes the same value on every CI grant.
import { isMap, isSeq, parseDocument, type Document } from "yaml";
import { z } from "zod";
import { can, findManageableAgent, findVisibleAgent, type Actor } from "@/lib/access";
import type { Db } from "@/lib/db/client";
import { Conflict, Invalid, invalidFrom } from "@/lib/errors";
import {
  accessAsOf,
  describeShareEntry,
  parseAgentConfig,
  shareEntries,
  type AccessAs,
  type AgentConfigData,
  type ShareEntry,
} from "./parse";
import { currentAgentConfig } from "./in-force";
import { isVisibleTarget } from "./references";
import { saveAgentConfig, StaleConfig } from "./versions";

export type SharingBlock = "ci_access" | "user_access";

const target = z
  .string()
  .trim()
  .toLowerCase()
  .min(1, "Enter a project's full path (group/project) or a group's path")
  .max(255, "Path is too long");
const block = z.enum(["ci_access", "user_access"], { error: "Choose CI access or user access" });
const accessAs = z.enum(["agent", "ci_job", "user"], {
  error: "Choose how the agent acts: as itself, as the CI job or as the user",
});

/** ci_access acts as the agent or the CI job, user_access as the agent or the user. */
function accessAsFits(v: { access?: SharingBlock; block?: SharingBlock; accessAs?: AccessAs }, ctx: z.RefinementCtx) {
  const b = v.access ?? v.block;
  if (b === "ci_access" && v.accessAs === "user")
    ctx.addIssue({
      code: "custom",
      path: ["accessAs"],
      message: "CI access acts as the agent or as the CI job, not as a user",
    });
  if (b === "user_access" && v.accessAs === "ci_job")
    ctx.addIssue({
      code: "custom",
      path: ["accessAs"],
      message: "User access acts as the agent or as the user, not as a CI job",
    });
}

export const addShareSchema = z
  .object({
    access: block,
    targetType: z.enum(["project", "group"], { error: "Choose a project or a group" }),
    target,
    /** How the block's grants act: only for its first grant (or a CI grant when the CI grants differ); otherwise it must be what they already do. */
    accessAs: accessAs.optional(),
    defaultNamespace: z
      .string()
      .trim()
      .max(63, "A namespace name has at most 63 characters")
      .regex(
        /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)?$/,
        "Use a Kubernetes namespace name: lower-case letters, digits and '-'",
      )
      .optional()
      .transform((v) => v || undefined),
  })
  .superRefine((v, ctx) => {
    accessAsFits(v, ctx);
    if (v.access === "user_access" && v.defaultNamespace)
      ctx.addIssue({
        code: "custom",
        path: ["defaultNamespace"],
        message: "A default namespace applies to CI access only",
      });
  });

export const removeShareSchema = z.object({
  access: z.enum(["ci_access", "user_access"], { error: "Say which entry to remove: ci_access or user_access" }),
  targetType: z.enum(["project", "group"], { error: "Say which entry to remove: a project or a group" }),
  target,
});

export const setAccessAsSchema = z.object({ block, accessAs }).strict().superRefine(accessAsFits);

export type AddShare = z.infer<typeof addShareSchema>;
export type RemoveShare = z.infer<typeof removeShareSchema>;
export type SetAccessAs = z.infer<typeof setAccessAsSchema>;

function parse<T>(schema: z.ZodType<T>, input: unknown): T {
  const r = schema.safeParse(input);
  if (!r.success) throw invalidFrom(r.error);
  return r.data;
}

const listKey = (t: "project" | "group") => (t === "project" ? "projects" : "groups");
const BLOCK_LABEL: Record<SharingBlock, string> = { ci_access: "CI access", user_access: "user access" };
const label = (e: { access: SharingBlock; targetType: string; target: string }) =>
  `${e.targetType} ${e.target} (${e.access === "ci_access" ? "CI access" : "user access"})`;
const ACTING: Record<AccessAs, string> = {
  agent: "the agent's service account",
  ci_job: "the CI job (impersonated)",
  user: "the user (impersonated)",
};

/** How a block's grants act, and how many there are. "per grant" when hand-written CI grants differ. */
export interface BlockAccess {
  accessAs: AccessAs | "per grant";
  grants: number;
}

export function blockAccess(cfg: AgentConfigData, b: SharingBlock): BlockAccess {
  const grants = shareEntries(cfg).filter((e) => e.access === b);
  if (b === "user_access") return { accessAs: accessAsOf(cfg.user_access?.access_as), grants: grants.length };
  const kinds = new Set(grants.map((e) => e.accessAs));
  return { accessAs: kinds.size > 1 ? "per grant" : (grants[0]?.accessAs ?? "agent"), grants: grants.length };
}

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

/** Writes `access_as` at `path` (a grant of ci_access, or user_access itself); agent, the default, is written as nothing. */
function writeAccessAs(doc: Document, path: (string | number)[], as: AccessAs): void {
  if (as === "agent") doc.deleteIn([...path, "access_as"]);
  else doc.setIn([...path, "access_as"], flowMap(doc, { [as]: {} }));
}

async function targetVisible(db: Db, actor: Actor, targetType: "project" | "group", path: string): Promise<void> {
  // A path the actor cannot see is answered exactly like a missing one.
  if (!(await isVisibleTarget(db, actor, targetType, path))) {
    throw new Invalid(
      targetType === "project"
        ? `There is no project "${path}". Use the project's full path, e.g. group/project.`
        : `There is no group "${path}". Use the group's path, as in its address.`,
      "target",
    );
  }
}

const manageable = (db: Db, actor: Actor, agentId: string) =>
  findManageableAgent(
    db,
    actor,
    agentId,
    "You need the maintainer or owner role in this project to change the agent's sharing",
  );

const sameTarget = (
  a: { access: string; targetType: string; target: string },
  b: { access: string; targetType: string; target: string },
) => a.access === b.access && a.targetType === b.targetType && a.target === b.target;

/**
 * How a new grant of `want.access` acts: as the block's grants already do. Its own `accessAs` is taken
 * only when nobody else's rights depend on it (the block's first grant, or CI grants that already differ).
 */
function newGrantAccessAs(cfg: AgentConfigData, want: AddShare): AccessAs {
  const current = blockAccess(cfg, want.access);
  if (current.grants === 0) return want.accessAs ?? (current.accessAs === "per grant" ? "agent" : current.accessAs);
  if (current.accessAs === "per grant") {
    if (!want.accessAs)
      throw new Invalid(
        "The CI access grants of this agent act in different ways: choose how this one acts",
        "accessAs",
      );
    return want.accessAs;
  }
  if (want.accessAs && want.accessAs !== current.accessAs) {
    throw new Conflict(
      `Every ${BLOCK_LABEL[want.access]} grant of this agent acts as ${ACTING[current.accessAs]}, and a new grant acts the same way. Change how all of them act first, as a step of its own ("Change" on the Sharing tab).`,
      "accessAs",
    );
  }
  return current.accessAs;
}

/**
 * The configuration with `want` added (or, for a CI grant already listed, its default namespace
 * changed): pure, so the YAML editing is unit-tested on its own. How the other grants act never changes.
 * Throws Conflict when nothing changes.
 */
export function withShareAdded(
  yamlText: string,
  want: AddShare,
): { yaml: string; entry: ShareEntry; change: "added" | "updated" } {
  const cfg = parseAgentConfig(yamlText);
  const doc = documentOf(yamlText);
  const listPath = [want.access, listKey(want.targetType)];
  const existing = entryIndexes(doc, listPath, want.target);
  const same = shareEntries(cfg).find((e) => sameTarget(e, { ...want }));

  if (same) {
    // An existing grant keeps how it acts; only a CI grant's default namespace can change here.
    const entry: ShareEntry = {
      ...same,
      defaultNamespace: want.access === "ci_access" ? (want.defaultNamespace ?? null) : null,
    };
    if (want.accessAs && want.accessAs !== same.accessAs) {
      throw new Conflict(
        `${label(same)} acts as ${ACTING[same.accessAs]}. How grants act is changed for all of them at once ("Change" on the Sharing tab).`,
        "accessAs",
      );
    }
    if (describeShareEntry(same) === describeShareEntry(entry))
      throw new Conflict(`The agent is already shared with ${label(entry)} this way`, "target");
    for (const i of existing.slice(1).reverse()) doc.deleteIn([...listPath, i]);
    if (entry.defaultNamespace) doc.setIn([...listPath, existing[0]!, "default_namespace"], entry.defaultNamespace);
    else doc.deleteIn([...listPath, existing[0]!, "default_namespace"]);
    const yaml = String(doc);
    parseAgentConfig(yaml); // never produce what the YAML editor would refuse
    return { yaml, entry, change: "updated" };
  }

  const as = newGrantAccessAs(cfg, want);
  const entry: ShareEntry = {
    access: want.access,
    targetType: want.targetType,
    target: want.target,
    accessAs: as,
    defaultNamespace: want.defaultNamespace ?? null,
  };
  if (want.access === "ci_access") {
    const item: Record<string, unknown> = { id: want.target };
    if (want.defaultNamespace) item.default_namespace = want.defaultNamespace;
    if (as !== "agent") item.access_as = flowMap(doc, { [as]: {} });
    append(doc, listPath, item);
  } else {
    const first = blockAccess(cfg, "user_access").grants === 0;
    append(doc, listPath, { id: want.target });
    // Only the first grant sets user_access's access_as: nobody acts differently because of it.
    if (first) writeAccessAs(doc, ["user_access"], as);
  }
  const yaml = String(doc);
  parseAgentConfig(yaml);
  return { yaml, entry, change: "added" };
}

/** The configuration without that project or group in ci_access or user_access. Throws Conflict when it is not there. */
export function withShareRemoved(yamlText: string, want: RemoveShare): { yaml: string; removed: ShareEntry } {
  const doc = documentOf(yamlText);
  const listPath = [want.access, listKey(want.targetType)];
  const existing = entryIndexes(doc, listPath, want.target);
  const removed = shareEntries(parseAgentConfig(yamlText)).find((e) => sameTarget(e, want));
  if (existing.length === 0 || !removed)
    throw new Conflict(
      `The agent is not shared with ${label(want)}; it may have been removed already. Reload to see the current sharing.`,
      "target",
    );
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

/**
 * The configuration with every grant of `want.block` acting as `want.accessAs`: user_access's one
 * access_as, or the access_as of each CI grant. Throws Conflict when there are no grants or they
 * already act that way.
 */
export function withAccessAsSet(
  yamlText: string,
  want: SetAccessAs,
): { yaml: string; from: BlockAccess["accessAs"]; grants: number } {
  const cfg = parseAgentConfig(yamlText);
  const current = blockAccess(cfg, want.block);
  if (current.grants === 0)
    throw new Conflict(
      `The agent has no ${BLOCK_LABEL[want.block]} grants: how the first one acts is chosen when it is added`,
      "accessAs",
    );
  if (current.accessAs === want.accessAs)
    throw new Conflict(
      `Every ${BLOCK_LABEL[want.block]} grant of this agent already acts as ${ACTING[want.accessAs]}`,
      "accessAs",
    );
  const doc = documentOf(yamlText);
  if (want.block === "user_access") {
    writeAccessAs(doc, ["user_access"], want.accessAs);
  } else {
    for (const t of ["projects", "groups"] as const) {
      const seq = doc.getIn(["ci_access", t], true);
      if (isSeq(seq)) seq.items.forEach((_, i) => writeAccessAs(doc, ["ci_access", t, i], want.accessAs));
    }
  }
  const yaml = String(doc);
  parseAgentConfig(yaml);
  return { yaml, from: current.accessAs, grants: current.grants };
}

/** Applies an edit to the newest version and saves the result; retried when another save slipped in between. */
async function editConfig(
  db: Db,
  actor: Actor,
  agentId: string,
  action: string,
  edit: (yaml: string) => { yaml: string; details: Record<string, string | number> },
) {
  for (let attempt = 1; ; attempt++) {
    const current = await currentAgentConfig(db, agentId);
    const { yaml, details } = edit(current.yaml);
    try {
      return await saveAgentConfig(db, actor, agentId, yaml, {
        expectedVersion: current.version,
        audit: { action, details },
      });
    } catch (e) {
      if (!(e instanceof StaleConfig) || attempt >= 3) throw e;
    }
  }
}

/** Shares the agent with a project or group (or changes a CI grant's default namespace): a new version. */
export async function addShare(
  db: Db,
  actor: Actor,
  agentId: string,
  input: unknown,
): Promise<{ version: number; entry: ShareEntry }> {
  const want = parse(addShareSchema, input);
  await manageable(db, actor, agentId);
  await targetVisible(db, actor, want.targetType, want.target);
  let entry: ShareEntry | undefined;
  const { version } = await editConfig(db, actor, agentId, "agent_sharing.changed", (yaml) => {
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
  return editConfig(db, actor, agentId, "agent_sharing.changed", (yaml) => {
    const r = withShareRemoved(yaml, want);
    return { yaml: r.yaml, details: { change: "removed", share: describeShareEntry(r.removed) } };
  });
}

/** Changes how every grant of a block acts: a new version, audited as agent_sharing.access_as_changed. */
export async function setSharingAccessAs(
  db: Db,
  actor: Actor,
  agentId: string,
  input: unknown,
): Promise<{ version: number; block: SharingBlock; accessAs: AccessAs; grants: number }> {
  const want = parse(setAccessAsSchema, input);
  await manageable(db, actor, agentId);
  let grants = 0;
  const { version } = await editConfig(db, actor, agentId, "agent_sharing.access_as_changed", (yaml) => {
    const r = withAccessAsSet(yaml, want);
    grants = r.grants;
    return { yaml: r.yaml, details: { block: want.block, from: r.from, to: want.accessAs, grants: r.grants } };
  });
  return { version, block: want.block, accessAs: want.accessAs, grants };
}

export interface SharingView {
  canManage: boolean;
  version: number;
  /** How each block's grants act, shown once above its grants. */
  blocks: Record<SharingBlock, BlockAccess>;
  entries: ShareEntry[];
  /** Groups and projects the actor can see, offered as targets (only those are accepted). */
  suggestions: { groups: string[]; projects: string[] };
}

export async function sharingView(db: Db, actor: Actor, agentId: string): Promise<SharingView> {
  const { facts } = await findVisibleAgent(db, actor, agentId);
  const canManage = can.manageProjectAgents(actor, facts);
  const current = await currentAgentConfig(db, agentId);
  const entries = shareEntries(current.data);
  let suggestions = { groups: [] as string[], projects: [] as string[] };
  if (canManage) {
    const groups = await db.group.findMany({
      where: actor.isAdmin ? {} : { members: { some: { userId: actor.id } } },
      select: { path: true },
      orderBy: { path: "asc" },
      take: 500,
    });
    const projects = await db.project.findMany({
      where: actor.isAdmin
        ? {}
        : { OR: [{ ownerUserId: actor.id }, { group: { members: { some: { userId: actor.id } } } }] },
      select: { fullPath: true },
      orderBy: { fullPath: "asc" },
      take: 500,
    });
    suggestions = { groups: groups.map((g) => g.path), projects: projects.map((p) => p.fullPath) };
  }
  return {
    canManage,
    version: current.version,
    blocks: {
      ci_access: blockAccess(current.data, "ci_access"),
      user_access: blockAccess(current.data, "user_access"),
    },
    entries,
    suggestions,
  };
}
