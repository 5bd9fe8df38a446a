// One git repository under its many URLs: web records the clone URLs a forge names in a push, the agent
// compares them with Flux GitRepository objects' spec.url. Both use this, so they agree on "the same
// repository". Pure; imports nothing.

/**
 * The repository a clone URL names, as `host/path`: scheme, user, port, a trailing `.git` and slashes
 * dropped, lower case (forges treat paths case-insensitively). Accepts http(s)://, ssh://, git:// and
 * scp-style `user@host:path`. Null when `url` is none of these.
 *
 *   https://GitLab.example.com/Group/App.git  → gitlab.example.com/group/app
 *   ssh://git@gitlab.example.com:2222/group/app.git → gitlab.example.com/group/app
 *   git@gitlab.example.com:group/app.git      → gitlab.example.com/group/app
 */
export function repositoryKey(url: string): string | null {
  const text = url.trim();
  if (!text || /\s/.test(text)) return null;
  let host: string;
  let path: string;
  const scheme = /^([a-z][a-z0-9+.-]*):\/\//i.exec(text);
  if (scheme) {
    if (!["http", "https", "ssh", "git", "git+ssh", "ssh+git"].includes(scheme[1]!.toLowerCase())) return null;
    let parsed: URL;
    try {
      // URL parses only special schemes' hosts reliably: read every scheme as http.
      parsed = new URL(`http://${text.slice(scheme[0].length)}`);
    } catch {
      return null;
    }
    host = parsed.hostname;
    path = decodeURIComponent(parsed.pathname);
  } else {
    // scp-style: [user@]host:path (no scheme; a colon before any slash).
    const scp = /^(?:[^@/:]+@)?([^@/:]+):(.+)$/.exec(text);
    if (!scp) return null;
    host = scp[1]!;
    path = scp[2]!;
  }
  path = path
    .replace(/^~[^/]*/, "")
    .replace(/\/+$/, "")
    .replace(/\.git$/i, "")
    .replace(/\/+$/, "")
    .replace(/^\/+/, "")
    .replace(/\/{2,}/g, "/");
  host = host.replace(/^\[|\]$/g, "").toLowerCase();
  if (!host || !path) return null;
  return `${host}/${path.toLowerCase()}`;
}

/** Do two clone URLs name one repository? */
export function sameRepository(a: string, b: string): boolean {
  const ka = repositoryKey(a);
  return ka !== null && ka === repositoryKey(b);
}

/** The ref a Flux GitRepository follows (spec.ref), as far as matching a push needs it. */
export interface GitRepositoryRef {
  branch?: string;
  tag?: string;
  semver?: string;
  name?: string;
  commit?: string;
}

/**
 * Does a push of `pushedRef` (refs/heads/main, refs/tags/v1) concern a GitRepository following `ref`?
 * A branch-following object only for a push to that branch, a tag-following one only for that tag;
 * any other (semver, a named ref, none) for every push, since the push may move what it follows.
 */
export function refConcerns(ref: GitRepositoryRef | undefined, pushedRef: string): boolean {
  if (ref?.branch) return pushedRef === `refs/heads/${ref.branch}`;
  if (ref?.tag) return pushedRef === `refs/tags/${ref.tag}`;
  return true;
}
