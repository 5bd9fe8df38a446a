// Project access tokens: a project's own tokens for scripts and kubectl, each acting as a bot user with one
// role in that project only. Knows no route and renders nothing.
export * from "./project-tokens";
