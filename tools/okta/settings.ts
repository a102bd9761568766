/**
 * An app's entitlement settings: whether it is opted in to Entitlement Management, which every
 * entitlement, bundle and grant of the app needs (Okta answers an entitlement create in an app that is not
 * opted in with 404). Opting in or out changes how the app's access is managed: a person confirms.
 */
import { z } from "zod";
import { DESTRUCTIVE_IDEMPOTENT, defineOperation, READ } from "../../src/core/operation.js";
import { optStr } from "../params.js";
import { appGrantsRead, appRead } from "./previews/reads.js";
import { appOfOrn, settingsPreview, settingsVersion } from "./previews/settings.js";

/** An app's ORN, the only resource Okta opts in: `orn:okta:idp:{orgId}:apps:{appName}:{appId}`. */
export const APP_ORN = /^orn:[a-z]+:idp:[0-9A-Za-z]{20}:apps:[0-9A-Za-z_-]{1,100}:[0-9A-Za-z]{20}$/;

const resourceOrn = z
  .string()
  .max(200)
  .regex(APP_ORN, "must be an app ORN: orn:okta:idp:{orgId}:apps:{appName}:{appId}")
  .describe("The app's ORN (okta_search_apps shows it).");

const settingsOut = z.looseObject({ status: optStr });

const WHAT_NEXT: Record<string, string> = {
  OPTED_OUT:
    "Entitlements, bundles and grants can't be created in it: opt it in with okta_update_entitlement_settings (status OPTED_IN).",
  OPTING_IN: "Okta is still opting it in: read the settings again before creating entitlements.",
  OPTING_OUT: "Okta is opting it out.",
};

const settingsInput = z.object({ resourceOrn });
const updateInput = z.object({
  resourceOrn,
  status: z.enum(["OPTED_IN", "OPTED_OUT"]).describe("OPTED_IN: Entitlement Management on; OPTED_OUT: off."),
});

export type SettingsInput = z.output<typeof settingsInput>;
export type UpdateSettingsInput = z.output<typeof updateInput>;

function settingsSummary(lead: string, out: z.output<typeof settingsOut>, input: SettingsInput): string {
  const status = out.status ?? "?";
  const next = WHAT_NEXT[status];
  const app = input.resourceOrn ? appOfOrn(input.resourceOrn) : "?";
  return `${lead} app ${app}: Entitlement Management ${status}.${next ? ` ${next}` : ""}`;
}

export const oktaSettingsOperations = [
  defineOperation({
    name: "okta_get_entitlement_settings",
    title: "Get an app's entitlement settings",
    description:
      "Whether an app is opted in to Entitlement Management (OPTED_IN, OPTED_OUT, OPTING_IN/OUT). Its entitlements, bundles and grants need OPTED_IN.",
    provider: "okta",
    route: "GET /governance/api/v2/resources/{resourceOrn}/entitlement-settings",
    input: settingsInput,
    output: settingsOut,
    annotations: READ,
    guard: "none",
    summarize: (out, input) => settingsSummary("Settings of", out, input),
  }),

  defineOperation({
    name: "okta_update_entitlement_settings",
    title: "Change an app's entitlement settings",
    description:
      "Opts an app in to Entitlement Management (OPTED_IN) or out (OPTED_OUT). Asks a person to confirm, showing the status and who holds access in the app.",
    provider: "okta",
    route: "PATCH /governance/api/v2/resources/{resourceOrn}/entitlement-settings",
    input: updateInput,
    output: settingsOut,
    annotations: DESTRUCTIVE_IDEMPOTENT,
    // Effects: opting out takes away what the app's entitlements, bundles and grants give (remove); opting
    // in changes what Okta provisions to the app (provisioning); an unread status is unknown.
    guard: {
      effects: ["remove", "provisioning", "unknown"],
      reads: [
        {
          key: "settings",
          route: "GET /governance/api/v2/resources/{resourceOrn}/entitlement-settings",
          optional: true,
          params: (input) => ({ path: { resourceOrn: input.resourceOrn } }),
        },
        appRead((input: UpdateSettingsInput) => appOfOrn(input.resourceOrn)),
        appGrantsRead((input: UpdateSettingsInput) => appOfOrn(input.resourceOrn)),
      ],
      preview: settingsPreview,
      version: settingsVersion,
    },
    summarize: (out, input) => settingsSummary("Updated the settings of", out, input),
  }),
];
