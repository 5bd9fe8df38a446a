// Receptive agents on web's side: the URL configuration per agent (private halves encrypted at rest), the
// list kas dials, kas's reports on each connection, and kas's long poll (a version every web replica computes alike). Must not dial.
export {
  deleteReceptiveUrl,
  getReceptiveUrl,
  receptiveAgentsForKas,
  receptiveTargetsForKas,
  receptiveUrlPage,
  receptiveUrlInputSchema,
  recordReceptiveState,
  setReceptiveUrl,
  type ReceptiveTargetForKas,
  type ReceptiveUrlInput,
  type ReceptiveUrlView,
} from "./urls";
export { noteReceptiveChange, RECEPTIVE_RECHECK_MS, receptiveVersionOf } from "./changes";
export { decryptSecret, encryptSecret, encryptionKey } from "./encryption";
