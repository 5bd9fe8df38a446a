// The copy-paste steps for each forge, filled with the webhook's URL. Pure (the Settings tab shows them).

export interface ForgeInstructions {
  forge: "gitlab" | "github" | "gitea";
  title: string;
  steps: string[];
}

export function forgeInstructions(url: string): ForgeInstructions[] {
  return [
    {
      forge: "gitlab",
      title: "GitLab",
      steps: [
        "In the repository, open Settings → Webhooks → Add new webhook.",
        `URL: ${url}`,
        "Secret token: the secret shown when you created or rotated this webhook (GitLab sends it as X-Gitlab-Token).",
        "Trigger: Push events (all branches, or the branches your Flux GitRepository objects follow); Tag push events if they follow tags.",
        "Keep SSL verification on, save, then use Test → Push events.",
      ],
    },
    {
      forge: "github",
      title: "GitHub",
      steps: [
        "In the repository, open Settings → Webhooks → Add webhook.",
        `Payload URL: ${url}`,
        "Content type: application/json.",
        "Secret: the secret shown when you created or rotated this webhook (GitHub signs each delivery with it, X-Hub-Signature-256).",
        'Which events: "Just the push event". Save; GitHub sends a ping, which Tether answers with 200.',
      ],
    },
    {
      forge: "gitea",
      title: "Gitea / Forgejo",
      steps: [
        "In the repository, open Settings → Webhooks → Add webhook → Gitea (or Forgejo).",
        `Target URL: ${url}`,
        "HTTP method POST, POST content type application/json.",
        "Secret: the secret shown when you created or rotated this webhook (signed as X-Hub-Signature-256).",
        'Trigger on: "Push events". Save, then Test delivery.',
      ],
    },
  ];
}
