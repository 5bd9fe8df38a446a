// Tether's own Helm repository: the agent chart from deploy/agent, packaged as Helm does, and the index.yaml that `helm repo add` reads.
// Must not change the chart (it packages deploy/agent/chart as it is) nor depend on a signed-in user: helm fetches without a session.
export {
  agentChartDir,
  chartRepository,
  packageChart,
  repositoryIndex,
  type ChartPackage,
  type ChartRepository,
} from "./package";
