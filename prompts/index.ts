/**
 * The prompts, as data: short, exact scripts for the assistant that name the tools to use, in order,
 * and end in a guarded change or a report (DESIGN §2.5). A step names one or more tools; steps whose
 * tools are all unavailable (provider disabled, --read-only) are left out of the rendered script.
 */

import type { CompletionKind } from "../src/core/compose.js";

/** Kinds of argument the server can complete from the enabled providers. */
export type Completion = CompletionKind;

export interface PromptArg {
  description: string;
  required: boolean;
  complete?: Completion;
}

export interface PromptStep {
  /** The tools this step uses; the step is shown when at least one of them is available. */
  tools: string[];
  text: string;
}

export interface PromptDef {
  name: string;
  title: string;
  description: string;
  args: Record<string, PromptArg>;
  /** The opening line, with `{arg}` placeholders. */
  goal: string;
  steps: PromptStep[];
  /** How it ends: the guarded change or the report. */
  finish: string;
}

const CONFIRM =
  "This change is guarded: the client may show a confirmation dialog, or the tool returns " +
  "status confirmation_required with a preview. Show that preview to the user word for word and call " +
  "the tool again with confirmationToken only if they say yes. Never invent or reuse a token.";

export const PROMPTS: readonly PromptDef[] = [
  {
    name: "request_access",
    title: "Request access for someone",
    description: "Grant a person access (a bundle, an entitlement value) after finding it across systems.",
    args: {
      person: { description: "Who needs the access: a name or email.", required: true, complete: "person" },
      access: {
        description: "What they need, in words: a bundle, role or group name.",
        required: true,
        complete: "access",
      },
      reason: { description: "Why they need it (kept in the conversation for the record).", required: false },
    },
    goal: "Give {person} this access: {access}. Reason: {reason}.",
    steps: [
      {
        tools: ["okta_search_users", "iiq_search_users"],
        text: "Resolve the person to an id with okta_search_users (iiq_search_users in IdentityIQ; Atomicwork grants show user ids in atomicwork_search_grants). If several people match, ask which one.",
      },
      {
        tools: ["search_entitlements"],
        text: "Find the access with search_entitlements. If several items match, list them (provider, app, name) and ask which one; do not guess.",
      },
      {
        tools: ["okta_get_principal_access", "atomicwork_search_grants"],
        text: "Check what the person already has so you do not grant twice: okta_get_principal_access for Okta, atomicwork_search_grants (filter on user) for Atomicwork.",
      },
      {
        tools: ["okta_create_grant", "atomicwork_create_grant"],
        text: "Grant it: for an Okta bundle, okta_create_grant with grantType ENTITLEMENT-BUNDLE, the entitlementBundleId and targetPrincipal {externalId, type: OKTA_USER}; for Atomicwork, atomicwork_create_grant with user_id and entitlement_id. IdentityIQ entitlements are granted through its own workflows: report what to request there.",
      },
    ],
    finish: `${CONFIRM} Finish by stating exactly what was granted, to whom, and in which system, or that nothing was changed.`,
  },
  {
    name: "review_access",
    title: "Review access to an app",
    description: "Report who holds what in one app, flagging what a reviewer should look at.",
    args: {
      app: { description: "The app to review: its name or id.", required: true, complete: "app" },
      person: {
        description: "Limit the review to one person (optional).",
        required: false,
        complete: "person",
      },
    },
    goal: "Review access to {app}. Person (optional): {person}.",
    steps: [
      { tools: ["okta_search_apps"], text: "Resolve the app to its id with okta_search_apps." },
      {
        tools: ["okta_list_grants"],
        text: "List its active grants with okta_list_grants (appId; principalId to limit to one person), following nextCursor to the end.",
      },
      {
        tools: ["okta_list_principal_entitlements"],
        text: "For each person, read their effective entitlements with okta_list_principal_entitlements (appId, principalId).",
      },
      {
        tools: ["okta_get_bundle"],
        text: "For bundle grants, name the bundle and its values with okta_get_bundle.",
      },
    ],
    finish:
      "Change nothing. Report a table: person, how they got access (policy, bundle, custom grant), the values they hold, expiry. Flag DENY grants, grants expiring within 30 days, contractors, and anyone holding admin-level values. Suggest the revoke_access prompt for anything that should go.",
  },
  {
    name: "revoke_access",
    title: "Revoke someone's access",
    description: "Remove a person's access to an entitlement value, a bundle or a whole app.",
    args: {
      person: { description: "Whose access to remove: a name or email.", required: true, complete: "person" },
      access: {
        description: "What to remove: a value, a bundle or an app, in words.",
        required: true,
        complete: "access",
      },
    },
    goal: "Remove this access from {person}: {access}.",
    steps: [
      { tools: ["okta_search_users"], text: "Resolve the person with okta_search_users." },
      {
        tools: ["search_entitlements", "okta_search_apps"],
        text: "Find the item with search_entitlements (or the app with okta_search_apps for all access to an app).",
      },
      {
        tools: ["okta_get_principal_access"],
        text: "Confirm they hold it with okta_get_principal_access and note which grant gives it.",
      },
      {
        tools: ["okta_revoke_principal_access", "atomicwork_revoke_grant"],
        text: "Revoke it: okta_revoke_principal_access with the user's principalOrn and the ORNs to remove (value or bundle ORNs, or the app ORN alone for everything); for Atomicwork, atomicwork_revoke_grant with the grant_id from atomicwork_search_grants.",
      },
    ],
    finish: `${CONFIRM} Finish by stating what was removed and what access remains (okta_list_principal_entitlements), or that nothing was changed.`,
  },
  {
    name: "who_has_access",
    title: "Who has this access?",
    description:
      "Find everyone who holds an entitlement value or bundle, e.g. who can approve expenses in Workday.",
    args: {
      access: {
        description: "The access in words: an entitlement value, a role, a bundle.",
        required: true,
        complete: "access",
      },
      app: {
        description: "The app it belongs to (optional, narrows the search).",
        required: false,
        complete: "app",
      },
    },
    goal: "Find who holds: {access} (app: {app}).",
    steps: [
      {
        tools: ["search_entitlements"],
        text: "Find the item with search_entitlements; if several match, report them and ask which one.",
      },
      {
        tools: ["okta_list_grants"],
        text: "For an Okta value or bundle, list the grants that give it with okta_list_grants (appId plus a filter on entitlements.values.id or entitlementBundleId), following nextCursor to the end.",
      },
      {
        tools: ["okta_list_bundles"],
        text: "Also find bundles that contain the value (okta_list_bundles with include full_entitlements) and their grants, since bundle holders have it too.",
      },
      {
        tools: ["atomicwork_search_grants"],
        text: "For Atomicwork, atomicwork_search_grants with filters entitlement IN [id] and status EQUALS ACTIVE.",
      },
      {
        tools: ["iiq_search_users"],
        text: "For IdentityIQ, iiq_search_users with attributes=urn:ietf:params:scim:schemas:sailpoint:1.0:User:entitlements and look for the entitlement.",
      },
    ],
    finish:
      "Change nothing. Report each holder (name, how they hold it, expiry) grouped by system, and note DENY grants that cancel it.",
  },
  {
    name: "onboard_app_entitlements",
    title: "Onboard an app's entitlements",
    description:
      "Opt an app in to Entitlement Management if needed, create its entitlements and values from a description, then a starter bundle.",
    args: {
      app: { description: "The app to onboard: its name or id.", required: true, complete: "app" },
      entitlements: {
        description: "The entitlements and their values, e.g. 'Role: Viewer, Editor, Admin; Region: EU, US'.",
        required: true,
      },
    },
    goal: "Onboard these entitlements into {app}: {entitlements}.",
    steps: [
      {
        tools: ["okta_search_apps"],
        text: "Resolve the app with okta_search_apps: its id (0oa…) and its ORN.",
      },
      {
        tools: ["okta_get_entitlement_settings", "okta_update_entitlement_settings"],
        text: `Check with okta_get_entitlement_settings (resourceOrn: the app's ORN) that the app is OPTED_IN to Entitlement Management: Okta refuses entitlements in an app that is not. If it is OPTED_OUT, tell the user, and with their yes opt it in with okta_update_entitlement_settings (status OPTED_IN). ${CONFIRM} While it is OPTING_IN, read the settings again before going on.`,
      },
      {
        tools: ["okta_list_entitlements"],
        text: "List what already exists with okta_list_entitlements (appId) so nothing is created twice; show the user the plan (new entitlements, new values) and wait for a yes.",
      },
      {
        tools: ["okta_create_entitlement"],
        text: "Create each missing entitlement with okta_create_entitlement (parent {externalId: appId, type: APPLICATION}, multiValue, dataType, values). For an entitlement that exists but lacks values, add them with okta_update_entitlement (ADD /values/-).",
      },
      {
        tools: ["okta_create_bundle"],
        text: "If the user wants one, create a starter bundle with okta_create_bundle from the new value ids.",
      },
    ],
    finish:
      "Finish with a report of the app's entitlement settings, the entitlements, values and bundles created (names and ids), and anything skipped because it already existed.",
  },
];

/** The script for a prompt, with the arguments filled in and only the steps whose tools are available. */
export function renderPrompt(
  def: PromptDef,
  args: Record<string, string | undefined>,
  available: ReadonlySet<string>,
): string {
  const fill = (text: string) =>
    text.replace(/\{(\w+)\}/g, (_, key: string) => args[key]?.trim() || "(not given)");
  const steps = def.steps.filter((s) => s.tools.some((t) => available.has(t)));
  return [fill(def.goal), "", ...steps.map((s, i) => `${i + 1}. ${s.text}`), "", def.finish].join("\n");
}
