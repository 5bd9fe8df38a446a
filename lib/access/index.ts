// Access: roles and the rules of who may do what (pure), reading the facts they need, loading a project or
// agent only for an actor who may see it, and as whom an agent acts for a caller. Must not render anything or talk HTTP.
export * from "./roles";
export * from "./rules";
export * from "./facts";
export * from "./find";
export * from "./impersonation";
