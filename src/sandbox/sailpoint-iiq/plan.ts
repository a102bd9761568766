/**
 * Provisioning plans as IdentityIQ's SCIM API takes them: the XML `plan` input of a launched workflow, and
 * the JSON plan of a policy check (`{value: {accounts: [{op, application, attributes: [{op, name, value}]}]}}`).
 * Both come down to the same requests: an operation on one attribute value of one application's account, or
 * (application `IIQ`, attribute `assignedRoles`) a role assignment. The XML reader knows the plan's few
 * elements and attributes only: enough to emulate, not a general XML parser.
 */
import { isObject, type Json } from "../kit/json.js";
import { ScimError } from "./scim.js";

/** One attribute request of a plan, with the account request around it. */
export interface PlanRequest {
  application: string;
  /** The attribute (`memberOf`, `assignedRoles`, …). */
  name: string;
  value: string;
  op: "Add" | "Remove";
  /** The `comments` entry of its account request: the requester's justification. */
  comments?: string;
}

/** IdentityIQ's own application, whose `assignedRoles` attribute assigns roles. */
export const IIQ_APPLICATION = "IIQ";
export const ROLE_ATTRIBUTE = "assignedRoles";

const ENTITIES: Record<string, string> = { amp: "&", lt: "<", gt: ">", quot: '"', apos: "'" };

function unescapeXml(text: string): string {
  return text.replace(/&(#x[0-9a-f]+|#\d+|\w+);/gi, (whole, name: string) => {
    if (name.startsWith("#x") || name.startsWith("#X"))
      return String.fromCodePoint(Number.parseInt(name.slice(2), 16));
    if (name.startsWith("#")) return String.fromCodePoint(Number.parseInt(name.slice(1), 10));
    return ENTITIES[name] ?? whole;
  });
}

/** The attributes of one start tag, unescaped. */
function attributesOf(tag: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const m of tag.matchAll(/([\w:.-]+)\s*=\s*"([^"]*)"/g))
    out[m[1] as string] = unescapeXml(m[2] as string);
  return out;
}

function operation(op: string | undefined, where: string): "Add" | "Remove" {
  if (op === "Add" || op === "Remove") return op;
  throw new ScimError(400, `${where}: op must be Add or Remove, got "${op ?? ""}"`, "invalidValue");
}

/** The attribute requests of a `<ProvisioningPlan>`; a 400 naming what is wrong with it. */
export function parsePlanXml(xml: string): PlanRequest[] {
  if (!/^\s*<ProvisioningPlan[\s>]/.test(xml)) {
    throw new ScimError(400, "The plan input must be a <ProvisioningPlan> document", "invalidValue");
  }
  const out: PlanRequest[] = [];
  for (const account of xml.matchAll(/<AccountRequest\b([^>]*?)(\/>|>([\s\S]*?)<\/AccountRequest>)/g)) {
    const { application } = attributesOf(account[1] as string);
    const inner = account[3] ?? "";
    if (!application) throw new ScimError(400, "An AccountRequest has no application", "invalidValue");
    const comments = /<entry\s+key="comments"\s+value="([^"]*)"/.exec(inner)?.[1];
    for (const request of inner.matchAll(/<AttributeRequest\b([^>]*?)\/?>/g)) {
      const attrs = attributesOf(request[1] as string);
      if (!attrs.name || attrs.value === undefined) {
        throw new ScimError(400, "An AttributeRequest needs a name and a value", "invalidValue");
      }
      out.push({
        application,
        name: attrs.name,
        value: attrs.value,
        op: operation(attrs.op, "AttributeRequest"),
        ...(comments === undefined ? {} : { comments: unescapeXml(comments) }),
      });
    }
  }
  if (out.length === 0) throw new ScimError(400, "The plan requests nothing", "invalidValue");
  return out;
}

/** The attribute requests of a policy check's JSON plan; a 400 naming the field that is wrong. */
export function parsePlanJson(plan: unknown): PlanRequest[] {
  const accounts = isObject(plan) && isObject(plan.value) ? plan.value.accounts : undefined;
  if (!Array.isArray(accounts) || accounts.length === 0) {
    throw new ScimError(400, "plan.value.accounts must list at least one account request", "invalidValue");
  }
  return accounts.flatMap((account: unknown, i) => {
    const at = `plan.value.accounts[${i}]`;
    if (!isObject(account) || typeof account.application !== "string" || !Array.isArray(account.attributes)) {
      throw new ScimError(400, `${at} needs an application and attributes`, "invalidValue");
    }
    const application = account.application;
    return (account.attributes as unknown[]).map((attribute, j): PlanRequest => {
      const a = isObject(attribute) ? (attribute as Json) : {};
      if (typeof a.name !== "string" || typeof a.value !== "string") {
        throw new ScimError(400, `${at}.attributes[${j}] needs a name and a value`, "invalidValue");
      }
      return {
        application,
        name: a.name,
        value: a.value,
        // A check simulates giving access: an attribute request without an op adds.
        op: operation(typeof a.op === "string" ? a.op : "Add", `${at}.attributes[${j}]`),
      };
    });
  });
}

const escapeXml = (text: string) =>
  text.replace(/[&<>"']/g, (c) => `&${{ "&": "amp", "<": "lt", ">": "gt", '"': "quot", "'": "apos" }[c]};`);

/** A `<ProvisioningPlan>` of one account request per request (the demo's own requests are made with it). */
export function planXml(requests: readonly PlanRequest[]): string {
  const accounts = requests.map((r) => {
    const comments =
      r.comments === undefined ? "" : `<entry key="comments" value="${escapeXml(r.comments)}"/>`;
    return `<AccountRequest application="${escapeXml(r.application)}" op="Modify"><Attributes><Map>${comments}<entry key="flow" value="AccessRequest"/></Map></Attributes><AttributeRequest name="${escapeXml(r.name)}" op="${r.op}" value="${escapeXml(r.value)}"/></AccountRequest>`;
  });
  return `<ProvisioningPlan>${accounts.join("")}</ProvisioningPlan>`;
}
