/**
 * The credentials the sandbox accepts. A module of its own so the server can name them without loading
 * the emulator (the bin loads the sandbox only when it serves one).
 */
export const SANDBOX_CREDENTIALS = Object.freeze({
  okta: Object.freeze({ apiToken: "sandbox-okta-token" }),
  atomicwork: Object.freeze({ apiKey: "sandbox-atomicwork-key", workspaceId: "1" }),
  iiq: Object.freeze({
    username: "spadmin",
    password: "sandbox-iiq-password",
    clientId: "sandbox-iiq-client",
    clientSecret: "sandbox-iiq-secret",
  }),
});
