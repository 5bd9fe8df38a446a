// Access: roles and the rules of who may do what (pure), reading the facts they need, and loading a
// project or agent only for an actor who may see it. Must not render anything or talk HTTP.
export * from "./roles";
export * from "./rules";
export * from "./facts";
export * from "./find";
