/**
 * Okta's contract tables: the differences its tools keep from the Governance API spec, each with the
 * reason; the path ids that go with the spec's example bodies; and a request each tool without an example
 * must accept, from which the requests the spec forbids are made.
 */

import {
  DANA,
  PRIYA_GRANT,
  PROFILE,
  SALES_CLOUD_ADMIN,
  SALESFORCE,
  SALESFORCE_ORN,
} from "../../../fixtures/okta.js";
import { GITHUB_REVIEW, SALES_REVIEW, SAMUEL_REVIEW } from "../../../fixtures/okta-certifications.js";
import type { Allowances } from "../../../helpers/contract.js";
import { REQUEST_ALLOWANCES, REQUEST_PATH_SAMPLES, REQUEST_SAMPLE_INPUTS } from "./requests-tables.js";

const FILTER_FIELD =
  "a convenience field: the tool turns it into a clause of the spec's `filter` (ANDed before a raw filter), so a person names the app or the user instead of writing SCIM";
const FILTER_REQUIRED =
  "the spec's required `filter` may come as the convenience fields instead; the tool refuses a call with neither, so Okta always gets a filter";
const ORDER_BY =
  "the spec's `orderBy` is an array of exactly one item sent unexploded (style form): the tool takes that one item as a string, which is the same query";
const REFERENCE_ID =
  "a reference without an id names nothing: the tool requires the `id` of each entitlement and value it sends (the spec's entitlement-creatable marks no field required)";
const WHOLE_VALUE =
  'a PUT replaces the entitlement with the values sent ("This API requires a complete list of updated values"): each is sent whole, with the name and externalValue every value representation of the spec requires';
const READ_BACK =
  "computed by Okta and only read back (links, totals, ORNs, the app's own value id): the tool drops it from a PUT body";
const GRANT_EXPIRY =
  'the spec: "You can only replace objects in the `entitlements` array for a grant with the `CUSTOM` grant type"; the expiry changes through okta_update_grant (PATCH), so a replace does not send it';

const listFilters = (...fields: string[]): Allowances["extra"] =>
  Object.fromEntries(fields.map((f) => [f, FILTER_FIELD]));

const entitlementRefs: Allowances["required"] = {
  "entitlements[].id": REFERENCE_ID,
  "entitlements[].values[].id": REFERENCE_ID,
};

/** Every difference an Okta tool keeps from its operation in the spec, with the reason. */
export const ALLOWANCES: Record<string, Allowances> = {
  okta_list_entitlements: {
    extra: listFilters("appId", "nameStartsWith", "nameContains", "externalValue"),
    required: { filter: FILTER_REQUIRED },
    narrower: { orderBy: ORDER_BY },
  },
  okta_replace_entitlement: {
    required: { "values[].name": WHOLE_VALUE, "values[].externalValue": WHOLE_VALUE },
    absent: {
      "values[].externalId": READ_BACK,
      "values[].orn": READ_BACK,
      _links: READ_BACK,
      metadata: READ_BACK,
    },
  },
  okta_list_entitlement_values: {
    extra: listFilters("nameStartsWith", "nameContains"),
    narrower: { orderBy: ORDER_BY },
  },
  okta_list_all_entitlement_values: {
    extra: listFilters("appId", "entitlementId", "nameStartsWith", "nameContains", "externalValue"),
    required: { filter: FILTER_REQUIRED },
    narrower: { orderBy: ORDER_BY },
  },
  okta_list_bundles: { extra: listFilters("appId", "nameStartsWith", "nameContains", "status") },
  okta_create_bundle: { required: entitlementRefs },
  okta_replace_bundle: { required: entitlementRefs },
  okta_list_grants: {
    extra: listFilters("appId", "principalId", "entitlementBundleId"),
    required: { filter: FILTER_REQUIRED },
  },
  okta_create_grant: { required: entitlementRefs },
  okta_replace_grant: {
    required: entitlementRefs,
    absent: { _links: READ_BACK, metadata: READ_BACK, scheduleSettings: GRANT_EXPIRY },
  },
  okta_list_principal_entitlements: {
    extra: listFilters("appId", "principalId"),
    required: { filter: FILTER_REQUIRED },
  },
  okta_get_principal_access: {
    extra: listFilters("appId", "principalId"),
    required: { filter: FILTER_REQUIRED },
  },
  okta_get_principal_entitlements_history: {
    extra: listFilters("appId", "principalId", "startDate", "endDate"),
    required: { filter: FILTER_REQUIRED },
  },
  okta_list_campaigns: { extra: listFilters("status"), narrower: { orderBy: ORDER_BY } },
  okta_list_reviews: {
    extra: listFilters("campaignId", "reviewerId", "principalId", "decision"),
    narrower: { orderBy: ORDER_BY },
  },
  okta_reassign_reviews: {
    narrower: {
      reviewerId:
        "the spec's minLength 1 admits any text, but the new reviewer is an Okta user: the tool takes a user id (20 letters and digits) and refuses anything else before a request",
    },
  },
  ...REQUEST_ALLOWANCES,
};

const SPEC_ENTITLEMENT = "esp2lr1lavoGDYw5U8g6";
const SPEC_BUNDLE = "enbogpaj3XUzcM62u1d6";
const SPEC_GRANT = "0ggb0oNGTSWTBKOLGLNR";

/** The path ids that go with the spec's example bodies (the ids those bodies name). */
export const PATH_SAMPLES: Record<string, Record<string, string>> = {
  okta_replace_entitlement: { entitlementId: SPEC_ENTITLEMENT },
  okta_update_entitlement: { entitlementId: SPEC_ENTITLEMENT },
  okta_replace_bundle: { entitlementBundleId: SPEC_BUNDLE },
  okta_replace_grant: { grantId: SPEC_GRANT },
  okta_update_grant: { grantId: SPEC_GRANT },
  okta_update_entitlement_settings: { resourceOrn: SALESFORCE_ORN },
  okta_end_campaign: { campaignId: SALES_REVIEW },
  okta_reassign_reviews: { campaignId: SALES_REVIEW },
  ...REQUEST_PATH_SAMPLES,
};

const VALUE = "entaWRdlVAm6zmXVaJN9";

/** For tools without an example request in the spec: a request the tool must accept. */
export const SAMPLE_INPUTS: Record<string, Record<string, unknown>> = {
  okta_list_entitlements: { appId: SALESFORCE, limit: 20, orderBy: "name asc" },
  okta_get_entitlement: { entitlementId: PROFILE },
  okta_delete_entitlement: { entitlementId: PROFILE },
  okta_list_entitlement_values: { entitlementId: PROFILE, limit: 20 },
  okta_get_entitlement_value: { entitlementId: PROFILE, valueId: VALUE },
  okta_list_all_entitlement_values: { appId: SALESFORCE, limit: 200 },
  okta_list_bundles: { limit: 20, include: ["full_entitlements"] },
  okta_get_bundle: { entitlementBundleId: SALES_CLOUD_ADMIN, include: ["full_entitlements"] },
  okta_delete_bundle: { entitlementBundleId: SALES_CLOUD_ADMIN },
  okta_list_grants: { appId: SALESFORCE, limit: 20, include: ["full_entitlements"] },
  okta_get_grant: { grantId: PRIYA_GRANT, include: ["metadata"] },
  okta_list_principal_entitlements: { appId: SALESFORCE, principalId: DANA },
  okta_get_principal_access: { appId: SALESFORCE, principalId: DANA },
  okta_get_entitlement_settings: { resourceOrn: SALESFORCE_ORN },
  okta_get_principal_entitlements_history: {
    appId: SALESFORCE,
    principalId: DANA,
    limit: 20,
    include: ["counts"],
  },
  okta_list_campaigns: { status: "ACTIVE", limit: 20, orderBy: "name asc" },
  okta_get_campaign: { campaignId: SALES_REVIEW },
  okta_launch_campaign: { campaignId: GITHUB_REVIEW },
  okta_list_reviews: { campaignId: SALES_REVIEW, decision: "REVOKE", limit: 20, orderBy: "decided desc" },
  okta_get_review: { reviewId: SAMUEL_REVIEW },
  ...REQUEST_SAMPLE_INPUTS,
};
