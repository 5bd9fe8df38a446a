// "Use in CI": copy-paste snippets that trade a CI job's OIDC ID token for a kubeconfig (GitHub Actions,
// GitLab CI), and the API-token variant for other CI systems. The text is made on the server (lib/ci-oidc).
import { CopyButton } from "@/components/ui/copy-button";

export interface UseInCiSnippets {
  github: string;
  gitlab: string;
  apiToken: string;
}

function Snippet({
  id,
  title,
  text,
  children,
}: {
  id: string;
  title: string;
  text: string;
  children: React.ReactNode;
}) {
  return (
    <section aria-labelledby={id} className="space-y-2">
      <div className="flex flex-wrap items-center justify-between gap-2">
        <h3 id={id} className="text-base font-semibold">
          {title}
        </h3>
        <CopyButton text={text} label={`Copy the ${title} snippet`} />
      </div>
      <p className="text-sm text-zinc-600 dark:text-zinc-400">{children}</p>
      <pre
        aria-label={`${title} snippet`}
        tabIndex={0}
        className="overflow-x-auto rounded-md bg-zinc-900 p-3 text-xs text-zinc-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500"
      >
        <code>{text}</code>
      </pre>
    </section>
  );
}

export function UseInCiPanel({
  snippets,
  projectPath,
  settingsHref,
  hasIdentities,
}: {
  snippets: UseInCiSnippets;
  projectPath: string;
  settingsHref: string;
  hasIdentities: boolean;
}) {
  return (
    <section aria-labelledby="use-in-ci-heading" className="max-w-3xl space-y-6">
      <div className="space-y-2">
        <h2 id="use-in-ci-heading" className="text-lg font-semibold">
          Use in CI
        </h2>
        <p className="text-sm text-zinc-600 dark:text-zinc-400">
          A job proves who it is with its CI system&apos;s OIDC ID token and gets a kubeconfig that lives at most an
          hour past that token: no long-lived secret in the CI system. The token is accepted when a trusted CI identity
          of <span className="font-mono">{projectPath}</span> matches its issuer, audience and claims.{" "}
          {hasIdentities ? null : <strong>This project trusts no CI identity yet; add one on the </strong>}
          <a href={settingsHref} className="underline underline-offset-2">
            {hasIdentities ? "Manage trusted CI identities" : "project's settings"}
          </a>
          .
        </p>
      </div>
      <Snippet id="ci-snippet-github" title="GitHub Actions" text={snippets.github}>
        The workflow may ask for an ID token (<code>permissions: id-token: write</code>); one step trades it and runs
        kubectl.
      </Snippet>
      <Snippet id="ci-snippet-gitlab" title="GitLab CI" text={snippets.gitlab}>
        <code>id_tokens:</code> gives the job an ID token for this installation&apos;s audience.
      </Snippet>
      <Snippet id="ci-snippet-api-token" title="Other CI systems (API token)" text={snippets.apiToken}>
        Where the CI system has no OIDC, store a project access token (above: developer role, <code>api</code> scope) as
        a secret variable: it works on this project only.
      </Snippet>
    </section>
  );
}
