// GitOps, web's side: a project's repository webhook (URL + secret, shown once), forge deliveries verified,
// recorded and handed to kas for the agents the project may use, and what each agent did about each push.
// Must not talk to a cluster: agents find and annotate Flux objects themselves (agent/flux).
export {
  createOrRotateRepositoryWebhook,
  deleteRepositoryWebhook,
  repositoryWebhookView,
  type RepositoryWebhookSecret,
  type RepositoryWebhookView,
} from "./webhook";
export {
  PENDING_PUSH_MS,
  agentsForProjectPush,
  pendingPushesForAgent,
  receiveDelivery,
  recordPushOutcomes,
  type DeliveryAnswer,
  type PushNotifier,
} from "./pushes";
export { recentPushes, type PushOutcomeState, type RecentPush } from "./recent";
export { kasPushNotifier } from "./kas-notify";
export { MAX_DELIVERY_BYTES } from "./delivery";
export { forgeInstructions, type ForgeInstructions } from "./instructions";
