// Route handlers authenticate through lib/api-auth. `withUser` stays as another name of its withActor
// (a session or an API token with the method's scope) for routes written before it existed.
export { withActor as withUser, readJsonBody } from "@/lib/api-auth";
