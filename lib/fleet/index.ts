// The administrator's fleet view: every agent, project and group of the installation with live connection
// state, versions against kas and the support policy, and kas's health as web sees it.
// Must not change anything: it only reads (agents change in lib/agents, projects in lib/projects).
export { KAS_PROBE_ID, fleetView, type FleetOptions } from "./fleet";
export {
  FLEET_SORT_KEYS,
  filterFleetAgents,
  fleetQuerySchema,
  fleetQueryString,
  isFleetFiltered,
  parseFleetQuery,
  sortFleetAgents,
  type FleetQuery,
  type FleetSortKey,
} from "./query";
export type * from "./types";
