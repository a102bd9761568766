import { z } from "zod";
import { defineOperation, WRITE } from "../../src/core/operation.js";
import { ATOMICWORK_MAX_ID, atomicworkId, optNum, optStr } from "../params.js";
import { q } from "./previews/describe.js";
import { createPolicyPreview, policyVersion } from "./previews/policies.js";
import { catalogRead, holdersRead } from "./previews/reads.js";

/*
 * Nested fields carry no descriptions or string bounds: every client sends tools/list to the model on each
 * turn, and the top-level descriptions say what each object is. condition, approvals and lifecycle are each
 * one of two shapes in the spec ({type} alone, or {type} with more); one object, the rest optional, takes
 * both. Not described, and passed to Atomicwork as given (loose objects: never dropped): an approver's
 * `cardinality`, which the spec says is null on writes, and the expiry notification settings.
 */
const ID = z.int().min(1).max(ATOMICWORK_MAX_ID);

const policyInput = z.object({
  name: z.string().min(1).max(255),
  description: z.string().min(1).max(1000).optional(),
  type: z
    .enum(["BIRTH_RIGHT", "SELF_SERVICE"])
    .describe("BIRTH_RIGHT: given to whom the condition matches; SELF_SERVICE: requested."),
  status: z
    .enum(["DRAFT", "PUBLISHED", "ARCHIVED", "UNPUBLISHED"])
    .describe("Only PUBLISHED puts it in force."),
  app_id: atomicworkId("Its app (atomicwork_list_apps)."),
  entitlements: z.array(ID).max(100).optional().describe("Entitlement ids it covers."),
  condition: z
    .object({ type: z.string(), values: z.array(ID).optional() })
    .optional()
    .describe("Who it applies to: {type, values: ids}."),
  approvals: z
    .object({
      type: z.string(),
      steps: z
        .array(
          z.object({
            type: z.string(),
            criteria: z.enum(["FIRST_DECISION", "EVERYONE"]).optional(),
            approvers_data: z
              .array(
                z.looseObject({
                  type: z.string().optional(),
                  value: z.string().optional(),
                  label: z.string().optional(),
                  metadata: z.unknown().optional(),
                }),
              )
              .optional(),
            policy_id: ID.optional(),
          }),
        )
        .optional(),
    })
    .optional()
    .describe("{type, steps: [{type, criteria, approvers_data}]}."),
  lifecycle: z
    .looseObject({
      type: z.string(),
      allowed_access_durations: z
        .array(
          z.looseObject({
            duration: z.object({
              id: z.string().optional(),
              value: z.int().min(1).max(99_999),
              unit: z.enum(["HOURS", "DAYS", "WEEKS", "MONTHS"]),
            }),
          }),
        )
        .optional(),
      allow_user_to_extend: z.boolean().optional(),
    })
    .optional()
    .describe("{type, allowed_access_durations: [{duration: {value, unit}}]}."),
  is_active: z.boolean().optional(),
  is_business_justification_required: z.boolean().optional().describe("Requests need a reason."),
});

export type CreatePolicyInput = z.output<typeof policyInput>;

/** The answer: Atomicwork's spec promises nothing in it ("Empty response body"). */
const policyOut = z.looseObject({ id: optNum, key: optStr, name: optStr });

export const atomicworkPolicyOperations = [
  defineOperation({
    name: "atomicwork_create_policy",
    title: "Create an Atomicwork access policy",
    description:
      "Creates an access policy for an app's entitlements. Asks a person to confirm when it can give access (PUBLISHED or active).",
    provider: "atomicwork",
    route: "POST /api/v1/iga/policies",
    input: policyInput,
    output: policyOut,
    annotations: WRITE,
    // Effects: a policy in force (PUBLISHED or active) gives or opens access to its entitlements (grant);
    // one that is not gives nobody anything until it is published (create).
    guard: {
      effects: ["create", "grant"],
      reads: [catalogRead<CreatePolicyInput>((input) => input.app_id), holdersRead],
      preview: createPolicyPreview,
      version: policyVersion,
    },
    summarize: (out, input) => {
      const made = `Created the ${input.type} policy ${q(input.name)} (${input.status}) in app ${input.app_id}${input.entitlements?.length ? ` for entitlements ${input.entitlements.join(", ")}` : ""}`;
      if (out.id !== undefined && out.id !== null)
        return `${made}: id ${out.id}${out.key ? `, key ${out.key}` : ""}.`;
      return `${made}. Atomicwork answers a policy create with an empty body and its API has no way to read policies, so the new policy's id and key are not known here: find it in Atomicwork by its name.`;
    },
  }),
];
