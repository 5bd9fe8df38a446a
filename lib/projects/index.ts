// Projects: create them in a group or under a user, find the ones an actor may see.
export * from "./service";
export * from "./list";
