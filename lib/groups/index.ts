// Groups: create them, see them, manage their members. Authorization comes from lib/access only.
export * from "./groups-and-members";
