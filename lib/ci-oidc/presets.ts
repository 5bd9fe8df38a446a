// Ready-made trusted identities for the two CI systems most jobs run on (pure: the browser loads it).
// The audience defaults to this installation's URL, which is what the "Use in CI" snippets ask for.

export interface CiIdentityPreset {
  key: "github" | "gitlab";
  label: string;
  issuer: string;
  /** Claim conditions with example values the maintainer replaces. */
  conditions: Record<string, string>;
  /** The claims that say which repository and ref the job runs for (they go into the impersonation extra). */
  repositoryClaim: string;
}

export const CI_IDENTITY_PRESETS: readonly CiIdentityPreset[] = [
  {
    key: "github",
    label: "GitHub Actions",
    issuer: "https://token.actions.githubusercontent.com",
    conditions: { repository: "acme/shop", ref: "refs/heads/main" },
    repositoryClaim: "repository",
  },
  {
    key: "gitlab",
    label: "GitLab CI",
    issuer: "https://gitlab.com",
    conditions: { project_path: "acme/shop", ref_protected: "true" },
    repositoryClaim: "project_path",
  },
];
