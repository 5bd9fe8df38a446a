// Projects: create them in a group or under a user, change, move and delete them, find the ones an actor may see.
export * from "./create-project";
export * from "./list";
// Loading a project for an actor is an access question, answered in one place.
export { findVisibleProject } from "@/lib/access";
export * from "./manage-project";
