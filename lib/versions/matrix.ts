// The rows of the version matrix on /kubernetes-versions and /kubernetes-versions.json: the policy's
// rules applied to the release calendars and the smoke-test results for a day (rules.ts), newest first.
import { POLICY_INPUT, policyTable, type PolicyInput, type PolicyRow } from "./rules";

export type MatrixRow = PolicyRow;

export function versionMatrix(date: Date | string = new Date(), input: PolicyInput = POLICY_INPUT): MatrixRow[] {
  return policyTable(date, input);
}
