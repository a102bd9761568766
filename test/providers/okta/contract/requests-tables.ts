/**
 * The contract tables of Okta's access-request and risk tools (spread into tables.ts): the differences
 * they keep from the spec with the reason, the path ids of the spec's example bodies, and a request each
 * tool without an example must accept.
 */
import { DANA } from "../../../fixtures/okta.js";
import { ENTRIES, REQUESTS } from "../../../fixtures/okta-requests.js";
import type { Allowances } from "../../../helpers/contract.js";

const LEVEL =
  "a convenience field: the tool turns it into the spec's `filter` (`not(parent pr)` for the top level, `parent eq \"cen…\"` for an entry's children), so a person names the level instead of writing SCIM";
const LEVEL_REQUIRED =
  "the spec's required `filter` may come as topLevel or parentId instead; the tool refuses a call with none of them (or more than one), so Okta always gets exactly one level";
const REQUEST_FILTER =
  "a convenience field: the tool turns it into a clause of the spec's `filter` (`status eq`, `requestedFor eq`), ANDed before a raw filter";

const catalog: Allowances = {
  extra: { topLevel: LEVEL, parentId: LEVEL },
  required: { filter: LEVEL_REQUIRED },
};

export const REQUEST_ALLOWANCES: Record<string, Allowances> = {
  okta_list_catalog_entries: catalog,
  okta_list_requestable_entries: catalog,
  okta_list_access_requests: { extra: { status: REQUEST_FILTER, requestedFor: REQUEST_FILTER } },
};

export const REQUEST_PATH_SAMPLES: Record<string, Record<string, string>> = {
  okta_add_request_message: { requestId: REQUESTS.pending },
};

export const REQUEST_SAMPLE_INPUTS: Record<string, Record<string, unknown>> = {
  okta_list_catalog_entries: { topLevel: true, match: "sales", limit: 20 },
  okta_get_catalog_entry: { entryId: ENTRIES.payroll },
  okta_list_requestable_entries: { userId: DANA, parentId: ENTRIES.salesforce, limit: 20 },
  okta_get_request_fields: { entryId: ENTRIES.payroll, userId: DANA },
  okta_list_access_requests: { status: "PENDING", limit: 20, orderBy: "created desc" },
  okta_get_access_request: { requestId: REQUESTS.pending },
  okta_list_risk_rules: { limit: 20 },
};
