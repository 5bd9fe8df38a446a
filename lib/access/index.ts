// Access: roles and the rules of who may do what (pure), plus reading the facts they need.
// Must not render anything or talk HTTP; callers turn a refusal into "not found".
export * from "./roles";
export * from "./rules";
export * from "./facts";
