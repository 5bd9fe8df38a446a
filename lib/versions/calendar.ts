// The release calendars the support policy is computed from: Kubernetes's minors (first release date of
// each), its pre-releases, the Helm releases and the Kubernetes minors each one supports, and Tether's
// own release train. Data only; lib/versions/rules.ts applies the policy's rules to it.
//
// Source of the Kubernetes dates: the time of the k8s.io/kubernetes tag v1.N.0 (and of the pre-release
// tags) as the Go module proxy reports it (https://proxy.golang.org/k8s.io/kubernetes/@v/v1.N.0.info),
// read on 2026-11-30. They are the upstream release days of https://kubernetes.io/releases/.
// Source of the Helm rows: the k8s.io/client-go version each Helm release's go.mod requires, from the
// same proxy on the same day. Helm's version-skew policy (https://helm.sh/docs/topics/version_skew/):
// a Helm release compiled against Kubernetes 1.N supports 1.N down to 1.(N-3).

/** A Kubernetes minor and the day of its first release (1.N.0). */
export interface KubernetesMinorRelease {
  minor: string;
  /** YYYY-MM-DD (UTC). */
  firstRelease: string;
}

export const KUBERNETES_MINORS: readonly KubernetesMinorRelease[] = [
  { minor: "1.30", firstRelease: "2024-04-17" },
  { minor: "1.31", firstRelease: "2024-08-13" },
  { minor: "1.32", firstRelease: "2024-12-11" },
  { minor: "1.33", firstRelease: "2025-04-23" },
  { minor: "1.34", firstRelease: "2025-08-27" },
  { minor: "1.35", firstRelease: "2025-12-17" },
  { minor: "1.36", firstRelease: "2026-04-22" },
  { minor: "1.37", firstRelease: "2026-08-26" },
];

/** A beta or release candidate of a minor that has no first release yet. */
export interface KubernetesPrerelease {
  /** "1.38.0-beta.0" */
  version: string;
  /** YYYY-MM-DD (UTC). */
  date: string;
}

export const KUBERNETES_PRERELEASES: readonly KubernetesPrerelease[] = [
  { version: "1.38.0-beta.0", date: "2026-11-06" },
];

/** A Helm minor and the Kubernetes minor its client library is compiled against. */
export interface HelmRelease {
  /** "3.19" */
  helm: string;
  /** The newest release of that minor the proxy serves, e.g. "3.19.5". */
  latest: string;
  /** "1.34": supports 1.34 down to 1.31. */
  compiledAgainst: string;
}

export const HELM_RELEASES: readonly HelmRelease[] = [
  { helm: "4.3", latest: "4.3.2", compiledAgainst: "1.37" },
  { helm: "4.2", latest: "4.2.4", compiledAgainst: "1.36" },
  { helm: "3.22", latest: "3.22.0", compiledAgainst: "1.37" },
  { helm: "3.21", latest: "3.21.4", compiledAgainst: "1.36" },
  { helm: "3.20", latest: "3.20.2", compiledAgainst: "1.35" },
  { helm: "3.19", latest: "3.19.5", compiledAgainst: "1.34" },
  { helm: "3.18", latest: "3.18.6", compiledAgainst: "1.33" },
  { helm: "3.17", latest: "3.17.4", compiledAgainst: "1.32" },
];

/** Helm's skew: a Helm compiled against 1.N supports 1.N … 1.(N-3). */
export const HELM_SUPPORTED_MINORS_BACK = 3;

/**
 * Tether's release train: one release a month, on the third Thursday, numbered <major>.<minor>; 18.0
 * shipped in May 2025 and each May starts a new major (so 18.7 is December 2025, 19.2 July 2026).
 */
export const TETHER_TRAIN = { firstMajor: 18, firstYear: 2025, firstMonth: 5 } as const;

/** The minors the policy supported when it was written, each with the Tether release that ends it. */
export const POLICY_START = {
  /** The day the starting table took effect (YYYY-MM-DD). */
  since: "2025-05-15",
  minors: [
    { minor: "1.33", endsWithRelease: "19.2" },
    { minor: "1.32", endsWithRelease: "18.10" },
    { minor: "1.31", endsWithRelease: "18.7" },
  ],
} as const;

/**
 * Expected-support notices for late minors, as the team publishes them (the policy promises one within
 * about 8 weeks of a minor becoming late). Empty: none published.
 */
export const LATE_NOTICES: readonly { minor: string; expectedRelease: string }[] = [];
