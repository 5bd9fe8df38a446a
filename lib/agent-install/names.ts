// The names the chart gives what it installs, as deploy/agent/chart/templates/_helpers.tpl computes them.

/** The chart's name in deploy/agent/chart/Chart.yaml and in Tether's Helm repository. */
export const AGENT_CHART_NAME = "tether-agent";
/** The chart's default image (values.yaml), tagged with the chart's appVersion. */
export const AGENT_IMAGE_REPOSITORY = "tether/agent";
export const AGENT_NAMESPACE = "tether-agent";

/** Helm release names are at most 53 characters; agent names (DNS labels) may have 63. */
export function helmReleaseName(agentName: string): string {
  return agentName.length <= 53 ? agentName : agentName.slice(0, 53).replace(/-+$/, "");
}

/** The chart's "tether-agent.fullname": the release, plus "-tether-agent" unless it already contains it, at most 63 characters. */
export function agentDeploymentName(release: string): string {
  const full = release.includes(AGENT_CHART_NAME) ? release : `${release}-${AGENT_CHART_NAME}`;
  return full.slice(0, 63).replace(/-+$/, "");
}

/** Quotes a value for a POSIX shell only when it needs it (tokens and addresses normally do not). */
export function shellQuote(v: string): string {
  return /^[\w@%+=:,./-]+$/.test(v) ? v : `'${v.replaceAll("'", `'"'"'`)}'`;
}
