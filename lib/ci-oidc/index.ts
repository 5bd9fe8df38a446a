// CI identity by OIDC: projects trust CI systems' ID tokens (issuer, audience, claim conditions), and a
// job exchanges its token for CI job credentials. Must not mint credentials any other way than lib/kubectl-access does.
export {
  ciIdentityInputSchema,
  createCiIdentity,
  deleteCiIdentity,
  listCiIdentities,
  type CiIdentityInput,
  type CiIdentityView,
} from "./identities";
export { CI_IDENTITY_PRESETS, type CiIdentityPreset } from "./presets";
export {
  ACCEPTED_ALGORITHMS,
  EXTRA_KEYS,
  ciCredentialsRequestSchema,
  exchangeCiIdToken,
  type CiOidcCredentials,
  type ExchangeOptions,
} from "./exchange";
export { IssuerClient, ISSUER_FETCH_TIMEOUT_MS, defaultIssuerClient, type IssuerClientOptions } from "./issuer";
export { ciCredentialsResponse } from "./http";
export {
  apiTokenShellLines,
  apiTokenSnippet,
  exchangeShellLines,
  githubActionsSnippet,
  gitlabCiSnippet,
  type CiSnippetInput,
} from "./snippets";
export { ciPanelView, type CiPanelView } from "./panel";
