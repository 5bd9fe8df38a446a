// The "Use in CI" snippets (pure: pages render them, tests run their shell lines with bash): a GitHub
// Actions workflow and a GitLab CI job that trade the job's ID token for a kubeconfig, and the variant
// with an API token for other CI systems. Filled with this installation's public web URL.

export interface CiSnippetInput {
  /** This installation's public web URL (lib/public-urls). */
  webUrl: string;
  /** The project whose trusted identities let the job in. */
  projectPath: string;
  projectId: string;
  /** The kubeconfig context to use (`<agent-project>:<agent>`); a listing when absent. */
  contextName?: string;
}

/** Single-quotes for a POSIX shell. */
const sq = (s: string) => `'${s.replaceAll("'", `'"'"'`)}'`;

const base = (url: string) => url.replace(/\/+$/, "");

/** The kubectl line a job runs once KUBECONFIG is set. */
function kubectlLine(i: CiSnippetInput): string {
  return i.contextName ? `kubectl --context ${sq(i.contextName)} auth whoami` : "kubectl config get-contexts";
}

/**
 * Bash lines that exchange $TETHER_ID_TOKEN for a kubeconfig (./tether.kubeconfig) and run kubectl with
 * it. On a refusal curl exits non-zero (--fail-with-body) and the step prints Tether's reason.
 */
export function exchangeShellLines(i: CiSnippetInput): string[] {
  const body = `{"token":"'"$TETHER_ID_TOKEN"'","project":${JSON.stringify(i.projectPath)}}`;
  return [
    `curl --fail-with-body -sS -X POST ${base(i.webUrl)}/api/ci/credentials \\`,
    `  -H 'content-type: application/json' -d '${body}' \\`,
    "  -o tether-credentials.json || { cat tether-credentials.json >&2; echo >&2; exit 1; }",
    "jq -r .kubeconfig tether-credentials.json > tether.kubeconfig && rm tether-credentials.json",
    'export KUBECONFIG="$PWD/tether.kubeconfig"',
    kubectlLine(i),
  ];
}

/** The API-token variant: mint a CI job token with a token in $TETHER_API_TOKEN (scope api). */
export function apiTokenShellLines(i: CiSnippetInput): string[] {
  return [
    `curl --fail-with-body -sS -X POST ${base(i.webUrl)}/api/projects/${i.projectId}/ci-job-tokens \\`,
    `  -H "Authorization: Bearer $TETHER_API_TOKEN" -H 'content-type: application/json' \\`,
    `  -d '{"jobName":"deploy","ttlMinutes":60}' \\`,
    "  -o tether-credentials.json || { cat tether-credentials.json >&2; echo >&2; exit 1; }",
    "jq -r .kubeconfig tether-credentials.json > tether.kubeconfig && rm tether-credentials.json",
    'export KUBECONFIG="$PWD/tether.kubeconfig"',
    kubectlLine(i),
  ];
}

const indent = (lines: string[], by: string) => lines.map((l) => by + l);

export function githubActionsSnippet(i: CiSnippetInput): string {
  const audience = base(i.webUrl);
  return [
    "# .github/workflows/deploy.yml",
    "on:",
    "  push:",
    "    branches: [main]",
    "permissions:",
    "  id-token: write # lets the job ask GitHub for its OIDC ID token",
    "  contents: read",
    "jobs:",
    "  deploy:",
    "    runs-on: ubuntu-latest",
    "    steps:",
    "      - uses: actions/checkout@v4",
    "      - name: Kubernetes through Tether",
    "        run: |",
    ...indent(
      [
        `TETHER_ID_TOKEN=$(curl -sSf -H "Authorization: bearer $ACTIONS_ID_TOKEN_REQUEST_TOKEN" \\`,
        `  "$ACTIONS_ID_TOKEN_REQUEST_URL&audience=${audience}" | jq -r .value)`,
        ...exchangeShellLines(i),
      ],
      "          ",
    ),
  ].join("\n");
}

export function gitlabCiSnippet(i: CiSnippetInput): string {
  return [
    "# .gitlab-ci.yml",
    "deploy:",
    "  image: alpine/k8s:1.33.4 # any image with kubectl, curl and jq",
    "  id_tokens:",
    "    TETHER_ID_TOKEN:",
    `      aud: ${base(i.webUrl)}`,
    "  script:",
    "    - |",
    ...indent(exchangeShellLines(i), "      "),
    "  rules:",
    '    - if: $CI_COMMIT_REF_PROTECTED == "true"',
  ].join("\n");
}

export function apiTokenSnippet(i: CiSnippetInput): string {
  return [
    "# Any CI system: TETHER_API_TOKEN is a secret variable holding a project access token (the project's",
    "# Settings tab: developer role, api scope); the job token it mints lives 60 minutes.",
    ...apiTokenShellLines(i),
  ].join("\n");
}
