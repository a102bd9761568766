/**
 * The provisioning plan of an access request, built from typed fields (an entitlement's application,
 * attribute and value, or a role's name), never from text the model writes as XML: the launch's `plan` input
 * (IdentityIQ's XML, every value escaped) and the policy check's JSON plan carry the same one request.
 */

/** What a request changes: one entitlement (as IdentityIQ's catalog names it) or one role. */
export interface AccessItem {
  entitlement?: { application: string; attribute: string; value: string } | undefined;
  role?: string | undefined;
}

/** IdentityIQ's own application: its `assignedRoles` attribute assigns roles. */
export const ROLE_APPLICATION = "IIQ";
export const ROLE_ATTRIBUTE = "assignedRoles";
/** The workflow access requests go through. */
export const LCM_PROVISIONING = "LCM Provisioning";
/** Who approves, as the workflow's `approvalScheme` input names it: the owner of the entitlement or role. */
export const APPROVAL_SCHEME = "owner";

/** The application, attribute and value an item provisions. */
export function requested(item: AccessItem): { application: string; name: string; value: string } {
  if (item.entitlement) {
    const { application, attribute, value } = item.entitlement;
    return { application, name: attribute, value };
  }
  return { application: ROLE_APPLICATION, name: ROLE_ATTRIBUTE, value: item.role ?? "" };
}

/** XML 1.0 text: markup escaped, and the control characters it cannot hold removed. */
function xml(text: string): string {
  return (
    text
      // biome-ignore lint/suspicious/noControlCharactersInRegex: removing them is the point.
      .replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]/g, "")
      .replace(/[&<>"']/g, (c) => `&${{ "&": "amp", "<": "lt", ">": "gt", '"': "quot", "'": "apos" }[c]};`)
  );
}

/** The launch's `<ProvisioningPlan>`: one account request with the justification as its comments. */
export function planXml(item: AccessItem, op: "Add" | "Remove", justification: string): string {
  const { application, name, value } = requested(item);
  const kind = item.role === undefined ? "Entitlement" : "Role";
  return [
    "<ProvisioningPlan>",
    `  <AccountRequest application="${xml(application)}" op="Modify">`,
    "    <Attributes>",
    "      <Map>",
    `        <entry key="comments" value="${xml(justification)}"/>`,
    '        <entry key="flow" value="AccessRequest"/>',
    '        <entry key="interface" value="LCM"/>',
    `        <entry key="operation" value="${kind}${op}"/>`,
    "      </Map>",
    "    </Attributes>",
    `    <AttributeRequest name="${xml(name)}" op="${op}" value="${xml(value)}"/>`,
    "  </AccountRequest>",
    "</ProvisioningPlan>",
  ].join("\n");
}

/** The policy check's JSON plan of the same request. */
export function planJson(item: AccessItem, op: "Add" | "Remove") {
  const { application, name, value } = requested(item);
  return {
    value: { accounts: [{ op: "Modify", application, attributes: [{ op, name, value }] }] },
    type: "application/sailpoint.object.ProvisioningPlan+json",
  };
}
