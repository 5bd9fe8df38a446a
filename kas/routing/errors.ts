// The routing registry's own refusal: the agent is not on this kas and Redis cannot say where it is.

export class RegistryUnavailableError extends Error {
  constructor(
    readonly agentId: string,
    cause: string,
  ) {
    super(
      `agent ${agentId} has no tunnel on this kas, and the tunnel registry (Redis) cannot be reached to find the kas replica that has one: ${cause}`,
    );
  }
}
