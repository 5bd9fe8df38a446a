// Actions on a cluster's objects from the live view and the GitOps tab (delete, rollout restart, scale,
// CronJob suspend, resume and trigger, cordon and uncordon, drain, edit YAML with a dry run first, Flux
// reconcile, suspend and resume), sent as the viewer and audited. Must never widen what the cluster's RBAC
// allows: it only asks (SelfSubjectAccessReview) and sends as the viewer's identity.
export {
  ACTION_NAMES,
  MAX_REPLICAS,
  actionRequest,
  actionTarget,
  actionsFor,
  describeAction,
  requestFor,
  resourceOf,
  singular,
  FLUX_GROUP,
  FLUX_RECONCILE_ANNOTATION,
  reviewFor,
  reviewsFor,
  drainablePods,
  evictionFor,
  podsOnNodePath,
  type ActionName,
  type ActionRequest,
  type ActionTarget,
} from "./actions";
export { allowedActions, refusal, runAction } from "./run";
export {
  FIELD_MANAGER,
  MAX_EDIT_BYTES,
  checkEdited,
  describeEditProblem,
  editRequest,
  editRequestFor,
  editable,
  editableYaml,
  type EditCheck,
  type EditProblem,
  type EditRequest,
} from "./edit";
export { runEdit, type EditAnswer } from "./edit-run";
