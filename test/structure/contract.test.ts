/**
 * Exact to the vendors, the first rule of every contract: each tool's method and path is an operation in
 * its provider's published specification (the per-provider contract suites in test/providers/<p>/ check
 * fields, examples and responses).
 */
import { describe, expect, it } from "vitest";
import type { Provider } from "../../src/core/operation.js";
import { allOperations } from "../../tools/index.js";
import { loadSpec, SPEC_FILES, specsMissing } from "../helpers/spec.js";

const missing = specsMissing();

/** Tools outside the published specs, each with the reason. */
export const OUTSIDE_SPEC: Readonly<Record<string, string>> = {
  okta_search_users: "Okta's management API (/api/v1/users), which the Governance API spec does not cover",
  okta_search_apps: "Okta's management API (/api/v1/apps), which the Governance API spec does not cover",
};
const PROVIDERS = Object.keys(SPEC_FILES) as Provider[];

describe.skipIf(missing !== undefined)(
  `the vendors' specifications${missing ? ` (skipped: ${missing})` : ""}`,
  () => {
    it.each(PROVIDERS)("%s: every tool's method and path is an operation of the spec", (provider) => {
      const spec = loadSpec(provider);
      const unknown = allOperations
        .filter((op) => op.provider === provider)
        .filter((op) => !spec.find(op.route) && !OUTSIDE_SPEC[op.name])
        .map((op) => `${op.name}: ${op.route}`);
      expect(unknown).toEqual([]);
    });
  },
);
