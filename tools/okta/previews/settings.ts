/**
 * The preview of a change to an app's entitlement settings, with its effect: opting out takes away what
 * the app's entitlements, bundles and grants give; opting in changes what Okta provisions to the app.
 * Setting the status the app already has changes nothing.
 */
import { asObject } from "../../../src/core/json.js";
import type { Effect, GuardState, Preview } from "../../../src/core/operation.js";
import type { UpdateSettingsInput } from "../settings.js";
import { appLabel, hasNextPage, listData, plural, str } from "./describe.js";

/** The app id an app ORN ends in. */
export const appOfOrn = (orn: string) => orn.slice(orn.lastIndexOf(":") + 1);

/** The users who hold an ALLOW grant in the app, as the grants read shows them. */
function holders(grants: unknown): string[] {
  const ids = listData(grants)
    .filter((g) => str(g.action) !== "DENY")
    .flatMap((g) => {
      const id = str(asObject(g.targetPrincipal)?.externalId);
      return id ? [id] : [];
    });
  return [...new Set(ids)];
}

export function settingsPreview(input: UpdateSettingsInput, state: GuardState): Preview {
  const appId = appOfOrn(input.resourceOrn);
  const app = appLabel(state.app, appId);
  const current = str(asObject(state.settings)?.status);
  const details: string[] = [];
  const effects: Effect[] = [];
  const users = state.appGrants === undefined ? undefined : holders(state.appGrants);
  const who =
    users === undefined
      ? "Who holds access in the app could not be checked."
      : users.length === 0
        ? "Nobody holds a grant in the app."
        : `${plural(users.length, "user")}${hasNextPage(state.appGrants) ? " (or more)" : ""} hold grants in the app.`;
  if (current === undefined) {
    effects.push({ kind: "unknown", on: appId });
    details.push("The app's current entitlement settings could not be read.", who);
  } else if (current === input.status) {
    details.push(`The app is already ${current}: nothing changes.`);
  } else if (input.status === "OPTED_OUT") {
    effects.push({ kind: "remove", on: appId });
    details.push(
      `Turns Entitlement Management off (${current} -> OPTED_OUT): Okta stops managing the app's entitlements, bundles and grants, and what they give.`,
      who,
    );
  } else {
    effects.push({ kind: "provisioning", held: "unknown", on: appId });
    details.push(
      `Turns Entitlement Management on (${current} -> OPTED_IN): Okta manages the app's entitlements, and grants and policies provision them to the app.`,
      who,
    );
  }
  return {
    summary: `Set the entitlement settings of ${app} to ${input.status}.`,
    details,
    effects,
    targetIds: [appId],
  };
}

/** The version a settings preview is bound to: the status it read. */
export function settingsVersion(state: GuardState): string {
  return str(asObject(state.settings)?.status) ?? "";
}
