// What the browser may import of the fleet capability: the query's schema and the pure filter and sort
// (no database, no kas), and the answer's types.
export {
  FLEET_SORT_KEYS,
  filterFleetAgents,
  fleetQueryString,
  isFleetFiltered,
  parseFleetQuery,
  sortFleetAgents,
  type FleetQuery,
  type FleetSortKey,
} from "./query";
export type * from "./types";
