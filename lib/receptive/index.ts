// Receptive agents on web's side: the URL configuration per agent (private halves encrypted at rest), the
// list kas dials, kas's reports on each connection, and the change signal kas long-polls. Must not dial.
export {
  deleteReceptiveUrl,
  getReceptiveUrl,
  receptiveTargetsForKas,
  receptiveUrlPage,
  receptiveUrlInputSchema,
  recordReceptiveState,
  setReceptiveUrl,
  type ReceptiveTargetForKas,
  type ReceptiveUrlInput,
  type ReceptiveUrlView,
} from "./urls";
export { noteReceptiveChange, receptiveVersion, waitForReceptiveChange } from "./changes";
export { decryptSecret, encryptSecret, encryptionKey } from "./encryption";
