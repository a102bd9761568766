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
    description:
      "File an access request into the governance system's own workflow, with the person's justification, after checking separation-of-duties conflicts.",
    args: {
      person: { description: "Who needs the access: a name or email.", required: true, complete: "person" },
      access: {
        description: "What they need, in words: a bundle, role or group name.",
        required: true,
        complete: "access",
      },
      reason: {
        description:
          "Why they need it, in their words: filed as the request's justification for the approver.",
        required: false,
      },
    },
    goal: "Request this access for {person}: {access}. Justification: {reason}.",
    steps: [
      {
        tools: ["okta_search_users", "iiq_search_users"],
        text: "Resolve the person to an id with okta_search_users (the userName with iiq_search_users in IdentityIQ). If several people match, ask which one.",
      },
      {
        tools: ["okta_list_requestable_entries", "search_entitlements"],
        text: "Find what they may request. In Okta, okta_list_requestable_entries (userId; topLevel true for the apps, then parentId for an app's bundles); elsewhere, search_entitlements (an IdentityIQ entitlement or role). If several items match, list them (system, app, name) and ask which one; do not guess.",
      },
      {
        tools: ["okta_get_principal_access", "iiq_get_user"],
        text: "Check what the person already has, so nothing is requested twice: okta_get_principal_access (appId, principalId), iiq_get_user in IdentityIQ.",
      },
      {
        tools: ["okta_get_request_fields", "okta_assess_access_risk", "iiq_check_policy_violations"],
        text: "Before filing, read what the request asks and its separation-of-duties risk: okta_get_request_fields (entryId, userId) gives the fields (the justification's field id) and Okta's risk assessment; iiq_check_policy_violations does the same for IdentityIQ. Tell the person every conflict, rule by rule, and ask whether to go on. If the check was unavailable, say so; never leave it out.",
      },
      {
        tools: ["okta_create_access_request", "iiq_request_access"],
        text: "File the request with the person's justification in their words (if none was given, ask for it; never write one yourself): okta_create_access_request with requested {type: CATALOG_ENTRY, entryId}, requestedFor {type: OKTA_USER, externalId} and requesterFieldValues [{id: the justification field's id, value}]; iiq_request_access with identityName, operation Add, the entitlement {application, attribute, value} or the role, and justification. An approver decides in the governance system: that approval is the human gate, so such a request is filed without a confirmation here.",
      },
      {
        tools: ["okta_create_grant", "atomicwork_create_grant"],
        text: "Only if the user says they are an administrator and asks for a direct grant instead of a request (or the system has no request workflow, as Atomicwork here): okta_create_grant (grantType ENTITLEMENT-BUNDLE, entitlementBundleId, targetPrincipal {externalId, type: OKTA_USER}) or atomicwork_create_grant (user_id, entitlement_id). A direct grant skips the approvers and is always guarded.",
      },
    ],
    finish: `When a tool answers status confirmation_required (an entry approved at once, a removal, a direct grant): ${CONFIRM} Finish by stating the request's id and status and who decides it (or what was granted, to whom, in which system, or that nothing was changed), and offer the track_request prompt to follow it.`,
  },
  {
    name: "review_access",
    title: "Review access in a certification campaign",
    description:
      "Walk a reviewer's open reviews in a campaign, item by item, with each person's risk, current access and its history.",
    args: {
      reviewer: {
        description: "Whose reviews: the reviewer's name or email.",
        required: true,
        complete: "person",
      },
      campaign: { description: "The campaign's name or id (optional: every active one).", required: false },
    },
    goal: "Walk the open reviews of {reviewer} (campaign: {campaign}).",
    steps: [
      { tools: ["okta_search_users"], text: "Resolve the reviewer to a user id with okta_search_users." },
      {
        tools: ["okta_list_campaigns"],
        text: "Find the campaign with okta_list_campaigns (status ACTIVE); if none was named and several are active, list them (name, end date) and ask which one.",
      },
      {
        tools: ["okta_list_reviews"],
        text: "List the reviewer's open items with okta_list_reviews (campaignId, reviewerId, decision UNREVIEWED), following nextCursor to the end. Say how many there are and when the campaign ends.",
      },
      {
        tools: ["okta_get_review"],
        text: "Take the items one at a time: okta_get_review gives whose access to what and how it is held.",
      },
      {
        tools: ["okta_assess_access_risk"],
        text: "For the item's person, okta_assess_access_risk (principalOrn, no resourceOrn) names the separation-of-duties rules they break now; say whether this item is part of a conflict.",
      },
      {
        tools: ["okta_get_principal_access", "okta_get_principal_entitlements_history"],
        text: "Show their current access in the app (okta_get_principal_access: the grants that give it) and its history (okta_get_principal_entitlements_history: since when, what changed).",
      },
      {
        tools: ["okta_reassign_reviews"],
        text: "If the reviewer should not decide an item (it is their own access, or they do not know the person), offer to hand it to another reviewer with okta_reassign_reviews and a note saying why.",
      },
    ],
    finish:
      "Change no access. For each item report: person, access, how it is held and since when, its risk conflicts, and what a reviewer would weigh (unused, a contractor, admin-level, a conflict). The reviewer records each decision in Okta's Access Certifications with their own sign-in (this server cannot decide for them). Once all are decided, an administrator may end the campaign with okta_end_campaign, which revokes what reviewers revoked and is guarded.",
  },
  {
    name: "track_request",
    title: "Where is my request?",
    description: "Report an access request's status: who must approve it, what they decided, its messages.",
    args: {
      person: {
        description: "Whose request: a name or email (optional when the request id is given).",
        required: false,
        complete: "person",
      },
      request: {
        description: "The request's id: Okta's req…, or the id iiq_request_access answered (optional).",
        required: false,
      },
    },
    goal: "Find where this access request stands. Person: {person}. Request: {request}.",
    steps: [
      {
        tools: ["okta_list_access_requests"],
        text: "Without a request id, resolve the person with okta_search_users and list their requests with okta_list_access_requests (requestedFor; newest first); if several are open, ask which one.",
      },
      {
        tools: ["okta_get_access_request"],
        text: "Read an Okta request with okta_get_access_request (requestId): its status, whose approval it waits for, who approved or denied it and when, whether the access was granted, the justification and the risk assessment.",
      },
      {
        tools: ["iiq_get_request_status"],
        text: "Read an IdentityIQ request with iiq_get_request_status (id): each approval's owner and state, completion and messages.",
      },
      {
        tools: ["okta_add_request_message"],
        text: "If the person wants to tell the approvers something (more context, a deadline), add it with okta_add_request_message; it is shown in Okta.",
      },
    ],
    finish:
      "Change no access. Report the status in one line, then who decides and what they did, when the access was or will be granted, and the messages. If it was denied, say so and why when the approver said; never file it again unasked.",
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
