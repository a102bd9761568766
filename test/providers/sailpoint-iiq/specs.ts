/**
 * IdentityIQ's two published SCIM specifications as the contract suites read them. The tools follow 8.3
 * (`sailpoint-iiq-scim-8.3.yaml`): its server URL ends in /scim/v2 like IIQ_BASE_URL, so its paths are the
 * tools' routes, and it is the one that has /Accounts. The 9.0 extract holds the same operations under
 * /scim/v2 (without /Accounts); every tool whose operation it has is checked against both.
 */
import { existsSync, readFileSync } from "node:fs";
import { join } from "node:path";
import { loadSpec, SPECS_DIR, Spec, specsMissing } from "../../helpers/spec.js";

export const SPEC_9_FILE = "sailpoint-iiq-9.0-scim-extract.yaml";

/** Why the IdentityIQ specs cannot be read here, or undefined. */
export function iiqSpecsMissing(): string | undefined {
  return (
    specsMissing() ??
    (existsSync(join(SPECS_DIR, SPEC_9_FILE)) ? undefined : `${SPEC_9_FILE} is not in ${SPECS_DIR}`)
  );
}

let spec9: Spec | undefined;

/** Both specifications, 8.3 first; 9.0's paths read relative to its /scim/v2. */
export function iiqSpecs(): { version: string; spec: Spec }[] {
  spec9 ??= new Spec("sailpoint-iiq", readFileSync(join(SPECS_DIR, SPEC_9_FILE), "utf8"), "/scim/v2");
  return [
    { version: "8.3", spec: loadSpec("sailpoint-iiq") },
    { version: "9.0", spec: spec9 },
  ];
}

/** A 32-hex id no demo resource has. */
export const UNKNOWN_ID = "0".repeat(32);
