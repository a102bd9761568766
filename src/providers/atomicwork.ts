/**
 * Atomicwork (upstream-apis §2): an `X-Api-Key` (and optional `X-Workspace-Id`) on every request,
 * numeric ids, and `{ error, code }` error bodies, which the generic reader already understands.
 */
import { SANDBOX_CREDENTIALS } from "../sandbox/credentials.js";
import type { ProviderEndpoint } from "../upstream/client.js";
import type { ProviderProfile } from "./profile.js";

export interface AtomicworkConfig {
  /** `https://{tenant}.atomicwork.com`: routes start with /api/v1. */
  baseUrl: string;
  apiKey: string;
  workspaceId?: string;
}

function apiKeyEndpoint({ baseUrl, apiKey, workspaceId }: AtomicworkConfig): ProviderEndpoint {
  return {
    baseUrl,
    auth: () => ({ "X-Api-Key": apiKey, ...(workspaceId ? { "X-Workspace-Id": workspaceId } : {}) }),
    secrets: [apiKey],
    profile: atomicwork,
  };
}

export const atomicwork: ProviderProfile<AtomicworkConfig> = {
  name: "atomicwork",
  toolsets: ["atomicwork"],
  pathId: { pattern: /^[1-9]\d{0,18}$/, rule: "must be a numeric Atomicwork id" },
  endpoint: apiKeyEndpoint,
  sandboxEndpoint: (url) => apiKeyEndpoint({ baseUrl: url, ...SANDBOX_CREDENTIALS.atomicwork }),
};
