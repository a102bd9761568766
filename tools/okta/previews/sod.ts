/**
 * Separation of duties in every Okta preview that gives access: the guard asks Okta's risk assessment
 * (`POST /governance/api/v1/risk-rule-assessments`, a `check` read) what the new access would conflict with,
 * and the preview names each conflict, or says the check was unavailable (no licence or scope: a 4xx) or
 * could not be made, never nothing. Targets are (user ORN, resource ORN) pairs: a bundle, an entitlement
 * value or an app; ORNs are formed from an ORN the other reads returned (the org id and partition).
 */
import { asObject, type JsonObject } from "../../../src/core/json.js";
import { type GuardRead, type GuardState, unavailableCheck } from "../../../src/core/operation.js";
import { quote } from "../../../src/core/sanitize.js";
import { listData, objects, plural, str } from "./describe.js";

/** How many assessments one preview asks for at most (each is one read). */
export const MAX_SOD_CHECKS = 20;

/** One assessment: giving `resourceOrn` to the user `principalOrn` (`who` names them in a line). */
export interface SodTarget {
  principalOrn: string;
  resourceOrn: string;
  who?: string;
}

/** Targets from the input and the reads so far; undefined when the ORNs could not be formed. */
export type SodTargets<I> = (input: I, state: GuardState) => SodTarget[] | undefined;

/** The org an ORN of the state names: `{partition, org}` of `orn:{partition}:{service}:{org}:…`. */
export function orgOf(...orns: unknown[]): { partition: string; org: string } | undefined {
  for (const orn of orns) {
    const m = typeof orn === "string" ? /^orn:([a-z-]+):[a-z-]+:([0-9A-Za-z]+):/.exec(orn) : null;
    if (m) return { partition: m[1] as string, org: m[2] as string };
  }
  return undefined;
}

type Org = NonNullable<ReturnType<typeof orgOf>>;
export const userOrn = (o: Org, userId: string) => `orn:${o.partition}:directory:${o.org}:users:${userId}`;
export const valueOrn = (o: Org, valueId: string) =>
  `orn:${o.partition}:governance:${o.org}:entitlement-values:${valueId}`;
export const bundleOrn = (o: Org, bundleId: string) =>
  `orn:${o.partition}:governance:${o.org}:entitlement-bundles:${bundleId}`;

/** The risk assessments of the targets, as one `check` read (an array of answers, in target order). */
export function sodRead<I>(targets: SodTargets<I>, key = "sod"): GuardRead<I> {
  return {
    key,
    route: "POST /governance/api/v1/risk-rule-assessments",
    check: true,
    params: (input, state) => {
      const found = targets(input, state);
      if (!found || found.length === 0) return null;
      return found.slice(0, MAX_SOD_CHECKS).map((t) => ({
        body: { principalOrn: t.principalOrn, resourceOrn: t.resourceOrn },
      }));
    },
  };
}

/** "one of "Security Group": "Payroll Admin"", the values of one criterion of a rule. */
function criterionText(criterion: JsonObject): string {
  const values = objects(asObject(criterion.value)?.value).flatMap((e) => {
    const ent = str(e.name) ?? str(e.id) ?? "?";
    const listed = objects(e.values);
    return listed.length === 0
      ? [`${quote(ent, 40)} (any value)`]
      : listed.map((v) => `${quote(ent, 40)}: ${quote(str(v.name) ?? str(v.id) ?? "?", 40)}`);
  });
  const shown = values.length > 3 ? [...values.slice(0, 3), `${values.length - 3} more`] : values;
  return `${str(criterion.operation) === "CONTAINS_ALL" ? "all of" : "one of"} ${shown.join(", ") || "?"}`;
}

/** One conflict: `conflicts with rule "…" in app "Workday": one of … together with one of ….` */
function conflictLine(c: JsonObject, appName: (orn: string | undefined) => string, who?: string): string {
  const criteria = objects(asObject(c.conflictCriteria)?.and).map(criterionText);
  const rule = quote(str(c.ruleName) ?? str(c.ruleId) ?? "?", 80);
  const lead = who ? `Separation of duties (${who}):` : "Separation of duties:";
  return `${lead} conflicts with rule ${rule} in ${appName(str(c.resourceOrn))}: ${criteria.join(" together with ")}.`;
}

/**
 * The preview lines of the assessments: each conflict named once (per user), or why the check was
 * unavailable, or that it could not be made; "no conflict" only when every assessment answered.
 */
export function sodLines(
  targets: SodTarget[] | undefined,
  answers: unknown,
  appName: (orn: string | undefined) => string,
  why = "the ORNs it needs could not be formed from what was read",
): string[] {
  if (targets === undefined)
    return [`Separation of duties: not checked: ${why}. Check it with okta_assess_access_risk.`];
  if (targets.length === 0) return [];
  const checked = targets.slice(0, MAX_SOD_CHECKS);
  const results = Array.isArray(answers) ? answers : [];
  const lines: string[] = [];
  const unavailable = new Set<string>();
  const several = new Set(checked.map((t) => t.principalOrn)).size > 1;
  checked.forEach((target, i) => {
    const answer = results[i];
    const why = unavailableCheck(answer);
    if (why !== undefined) unavailable.add(why);
    else if (answer === undefined) unavailable.add("no answer");
    else
      for (const c of listData(answer))
        lines.push(conflictLine(c, appName, several ? target.who : undefined));
  });
  const out = [...new Set(lines)];
  for (const reason of unavailable) {
    out.push(
      `Separation of duties: the check was unavailable (${reason}), so conflicts could not be checked.`,
    );
  }
  if (out.length === 0) out.push("Separation of duties: Okta's risk assessment found no conflict.");
  if (targets.length > checked.length) {
    out.push(
      `Separation of duties: checked the first ${plural(checked.length, "assessment")} of ${targets.length}.`,
    );
  }
  return out;
}

/** An app named for a conflict line: its label when it is the app the preview read, else its ORN's id. */
export function appNamer(app: unknown): (orn: string | undefined) => string {
  const a = asObject(app);
  return (orn) => {
    const last = orn?.split(":").pop();
    const id = last && /^[0-9A-Za-z]{20}$/.test(last) ? last : undefined;
    const label = str(a?.label);
    if (label && id && (id === str(a?.id) || orn === str(a?.orn))) return `app ${quote(label, 60)}`;
    return id ? `app ${id}` : "an app";
  };
}
