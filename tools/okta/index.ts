/** Okta's operations, in the order tools/list shows them. */
import type { AnyOperation } from "../../src/core/operation.js";
import { oktaBundleOperations } from "./bundles.js";
import { oktaCampaignOperations } from "./campaigns.js";
import { oktaDirectoryOperations } from "./directory.js";
import { oktaEntitlementOperations } from "./entitlements.js";
import { oktaEntryOperations } from "./entries.js";
import { oktaGrantOperations } from "./grants.js";
import { oktaPrincipalOperations } from "./principals.js";
import { oktaRequestOperations } from "./requests.js";
import { oktaReviewOperations } from "./reviews.js";
import { oktaRiskOperations } from "./risk.js";
import { oktaSettingsOperations } from "./settings.js";

export const oktaOperations: AnyOperation[] = [
  ...oktaEntitlementOperations,
  ...oktaBundleOperations,
  ...oktaGrantOperations,
  ...oktaPrincipalOperations,
  ...oktaSettingsOperations,
  ...oktaDirectoryOperations,
  ...oktaCampaignOperations,
  ...oktaReviewOperations,
  ...oktaEntryOperations,
  ...oktaRequestOperations,
  ...oktaRiskOperations,
];
