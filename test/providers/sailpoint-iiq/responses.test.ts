/**
 * IdentityIQ's sandbox against the vendor's response schemas (issue 11): every route the sandbox serves
 * is driven over real HTTP across the demo data (every resource listed and fetched by id, by name where
 * the spec allows it, and with each of the spec's parameter examples), and each answer's status and body
 * are checked against the spec: a documented status, a body valid for the schema of its media type, no
 * field the schema does not declare (the spec nests extension attributes under their URN), and every
 * error in the SCIM error envelope of RFC 7644 §3.12 with the spec's own error schema. Differences kept on
 * purpose are listed below with their reasons; an allowance nothing needs any more fails too.
 */
import { describe, expect, it } from "vitest";
import type { Route } from "../../../src/core/operation.js";
import { SANDBOX_CREDENTIALS } from "../../../src/sandbox/index.js";
import { IIQ_CONTROL_ROUTES, IIQ_ROUTES as SERVED } from "../../../src/sandbox/sailpoint-iiq/index.js";
import { asRequested, DIEGO, EXPENSE_APPROVER, VPN_USERS } from "../../fixtures/sailpoint-iiq.js";
import { responseSchema, undeclaredFields } from "../../helpers/contract-cases.js";
import type { Spec } from "../../helpers/spec.js";
import { testServer } from "../../helpers/test-server.js";
import { iiqSpecs, iiqSpecsMissing, UNKNOWN_ID } from "./specs.js";

const missing = iiqSpecsMissing();
const IIQ_ROUTES = SERVED as readonly Route[];
const ERROR_URN = "urn:ietf:params:scim:api:messages:2.0:Error";

/** Routes the sandbox serves that the SCIM specification does not have, with the reason. */
const OUTSIDE_SPEC: Readonly<Record<string, string>> = {
  "POST /identityiq/oauth2/token":
    "the OAuth token endpoint is not part of the SCIM API (test/providers/sailpoint-iiq/oauth.test.ts)",
  "POST /Entitlements":
    "entitlements come from aggregation: a write is a SCIM 405 (its body is checked below)",
  "PUT /Entitlements/{id}": "entitlements come from aggregation: a write is a SCIM 405",
  "DELETE /Entitlements/{id}": "entitlements come from aggregation: a write is a SCIM 405",
  "POST /_sandbox/iiq/workflows/{id}/approve":
    "the sandbox's own control surface for approvers, not IdentityIQ's (test/providers/sailpoint-iiq/requests.test.ts)",
  "POST /_sandbox/iiq/workflows/{id}/reject":
    "the sandbox's own control surface for approvers, not IdentityIQ's (test/providers/sailpoint-iiq/requests.test.ts)",
};

const TOKEN_ROUTE = "POST /identityiq/oauth2/token";
/** Routes the sweep does not send: the token endpoint (oauth.test.ts) and the sandbox's control surface. */
const NOT_PROBED = new Set<string>([TOKEN_ROUTE, ...IIQ_CONTROL_ROUTES]);

/** Answers that differ from the spec's schemas on purpose: the problem they explain, and why. */
const ALLOWED: readonly { match: RegExp; reason: string }[] = [
  {
    match: /^\S+ GET \/\w+ 200: \/itemsPerPage is not declared$/,
    reason:
      "RFC 7644 §3.4.2.4: a ListResponse carries itemsPerPage when results are paged; the spec's list schemas leave it out",
  },
  {
    match: /^\S+ GET \/Entitlements 200: \/Resources\/\*\/displayableName is not declared$/,
    reason:
      "the list's item schema writes displayName; GET /Entitlements/{id}, the SailPoint-Entitlement-Schema, seed 003 and the list's own filter example say displayableName, and one resource has one name",
  },
  {
    match: /^\S+ GET \/Entitlements 200: \/Resources\/\*\/emails is not declared$/,
    reason:
      "seed 003's entitlement has emails, as GET /Entitlements/{id} declares it; the list's item schema writes email",
  },
  {
    match: /^\S+ GET \/Applications(\/\{id\})? 200: (\/Resources\/\*)?\/schemas is not declared$/,
    reason:
      "RFC 7643 §3: every resource carries schemas; the spec nests it in meta for Applications alone (its Users, Accounts and Entitlements carry it at the top)",
  },
  {
    match:
      /^8\.3 GET \/(Workflows(\/\{id\})?|LaunchedWorkflows|LaunchedWorkflow\/\{id\}) 200: (\/Resources\/\*)?\/schemas is not declared$/,
    reason:
      "RFC 7643 §3: every resource carries schemas; the spec's Workflow and LaunchedWorkflow read schemas leave it out (a launch's answer and the TaskResult declare it)",
  },
  {
    match: /^8\.3 GET \/LaunchedWorkflows?(\/\{id\})? 200: (\/Resources\/\*)?\/targetName is not declared$/,
    reason:
      "a launched workflow is its TaskResult: the TaskResult's schema and a launch's answer (POST 201) declare targetName, the identity the request is for; the reads' schema lists the TaskResult's fields without it",
  },
  {
    match: /^8\.3 POST \/LaunchedWorkflows 201: \/meta must be array$/,
    reason:
      "the launch's answer types meta as a list of one object; every other answer of the spec, IdentityIQ's own documentation sample of this answer and RFC 7643 §3.1 give one object",
  },
  {
    match:
      /^8\.3 GET \/Accounts(\/\{id\})? 200: (\/Resources\/\*)?\/urn:ietf:params:scim:schemas:sailpoint:1\.0:Application:Schema:\w+:account is not declared$/,
    reason:
      "the spec's key is a template: its description says to put the application's name for APPLICATION NAME",
  },
  {
    match: /^\S+ GET \/ServiceProviderConfig 200: \/Resources\/\*\/authenticationSchemes must be object$/,
    reason:
      "RFC 7643 §5: authenticationSchemes is multi-valued, and IdentityIQ takes two (HTTP Basic, OAuth bearer tokens); an object holds one",
  },
  {
    match: /^\S+ GET \/ServiceProviderConfig 200: \/(totalResults|startIndex) is not declared$/,
    reason:
      "the operation's application/json schema declares them (a ListResponse); its application/scim+json one lists filter's maxResults and supported at the top instead",
  },
];

interface Probe {
  /** The route as the sandbox serves it (and the spec writes it). */
  route: Route;
  path: string;
  query?: Record<string, string>;
  /** false: sent without credentials. */
  auth?: boolean;
  /** The request is valid and names demo data: the answer must be a success. */
  ok?: true;
  /** A write's JSON body (default `{}`). */
  body?: unknown;
}

interface Answer {
  probe: Probe;
  status: number;
  type: string;
  body: unknown;
}

type Json = Record<string, unknown>;

const session = testServer({ perFile: true, client: false });

async function send(probe: Probe): Promise<Answer> {
  const { username, password } = SANDBOX_CREDENTIALS.iiq;
  const method = probe.route.split(" ")[0] as string;
  const query = new URLSearchParams(probe.query ?? {}).toString();
  const writes = method === "POST" || method === "PUT";
  const headers: Record<string, string> = writes ? { "Content-Type": "application/scim+json" } : {};
  if (probe.auth !== false) {
    headers.Authorization = `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`;
  }
  const url = `${session.sandbox.url}/identityiq/scim/v2${probe.path}${query ? `?${query}` : ""}`;
  const res = await fetch(url, {
    method,
    headers,
    ...(writes ? { body: JSON.stringify(probe.body ?? {}) } : {}),
  });
  const text = await res.text();
  return {
    probe,
    status: res.status,
    type: res.headers.get("content-type") ?? "",
    body: text === "" ? undefined : JSON.parse(text),
  };
}

/** The spec's own error schema (its 409 of POST /Users), with what RFC 7644 §3.12 requires of every error. */
function errorSchema(spec: Spec): Json {
  const own = responseSchema(spec, "POST /Users", 409) ?? {};
  return { ...own, type: "object", required: ["schemas", "status", "detail"] };
}

/** Array indices as `*`, so one problem across the demo data reads once. */
const general = (problem: string) => problem.replace(/\/\d+(?=\/|\s|$)/g, "/*");

/** What is wrong with one answer against one spec: each problem prefixed with the route and status. */
function problems(spec: Spec, answer: Answer): string[] {
  const { probe, status, body } = answer;
  const at = `${probe.route} ${status}`;
  const query = new URLSearchParams(probe.query ?? {}).toString();
  const failed =
    probe.ok && status >= 300
      ? [`${probe.path}${query ? `?${query}` : ""} is valid and names demo data`]
      : [];
  if (status >= 400) {
    const schema = errorSchema(spec);
    const envelope = body as Json | undefined;
    return [
      ...failed,
      ...spec.validate(schema, body),
      ...undeclaredFields(schema, body).map((path) => `${path} is not declared`),
      ...(envelope?.status === String(status) ? [] : [`status is not "${status}"`]),
      ...((envelope?.schemas as unknown[] | undefined)?.includes(ERROR_URN)
        ? []
        : ["schemas lacks the Error URN"]),
    ].map((p) => `${at}: ${general(p)}`);
  }
  const operation = spec.find(probe.route);
  if (!operation) return [`${at}: ${probe.route} is not an operation of the spec`];
  const schema = responseSchema(spec, probe.route, status, answer.type);
  if (!schema) return [`${at}: ${status} is not an answer the spec documents`];
  return [
    ...spec.validate(schema, body),
    ...undeclaredFields(schema, body).map((path) => `${path} is not declared`),
  ].map((p) => `${at}: ${general(p)}`);
}

/** RFC 7232 §2.3's weak entity tag, W/"…", which SCIM's meta.version carries (RFC 7644 §3.14). */
const WEAK_ETAG = /^W\/"[^"]*"$/;

function malformedVersions(answer: Answer): string[] {
  const body = answer.body as Json | undefined;
  const resources = Array.isArray(body?.Resources) ? (body.Resources as Json[]) : body ? [body] : [];
  return resources.flatMap((r) => {
    const version = (r.meta as Json | undefined)?.version;
    return version === undefined || WEAK_ETAG.test(String(version))
      ? []
      : [`${answer.probe.route}: ${String(r.id)} meta.version ${JSON.stringify(version)} is not W/"…"`];
  });
}

/**
 * The list and by-id routes of each SCIM resource the sandbox serves (`one`: the by-id path's first segment,
 * when the spec writes it otherwise), a filter each accepts, and whether it looks up by name.
 */
const RESOURCES: readonly {
  name: string;
  one?: string;
  filter: (r: Json) => string;
  byName?: (r: Json) => string;
}[] = [
  { name: "Entitlements", filter: (r: Json) => `DISPLAYABLENAME eq ${JSON.stringify(r.displayableName)}` },
  { name: "Applications", filter: (r: Json) => `NAME eq ${JSON.stringify(r.name)}` },
  { name: "Users", filter: (r: Json) => `USERNAME eq ${JSON.stringify(r.userName)}` },
  {
    name: "Accounts",
    filter: (r: Json) => `Identity.Value eq ${JSON.stringify((r.identity as Json).value)}`,
  },
  { name: "Roles", filter: (r: Json) => `name eq ${JSON.stringify(r.name)}`, byName: (r) => String(r.name) },
  { name: "Workflows", filter: (r: Json) => `type eq ${JSON.stringify(r.type)}` },
  { name: "TaskResults", filter: (r: Json) => `targetName eq ${JSON.stringify(r.targetName)}` },
  {
    name: "LaunchedWorkflows",
    one: "LaunchedWorkflow",
    filter: (r: Json) => `workflowName eq ${JSON.stringify(r.workflowName)}`,
  },
  { name: "PolicyViolations", filter: (r: Json) => `policyName eq ${JSON.stringify(r.policyName)}` },
];

/** Each of the spec's parameter examples of `route`, one probe each (path examples as the path). */
function exampleProbes(spec: Spec, route: Route, path: string, body?: unknown): Probe[] {
  const operation = spec.find(route);
  if (!operation) return [];
  return operation.parameters.flatMap((p) =>
    p.examples.map((value): Probe => {
      if (p.in === "path") return { route, path: path.replace(/[^/]+$/, encodeURIComponent(String(value))) };
      return { route, path, query: { [p.name]: String(value) }, ...(body === undefined ? {} : { body }) };
    }),
  );
}

/** Diego Alvarez and Workday's Expense Approver, as a policy check's JSON plan and a launch's XML plan. */
const EXPENSE = asRequested(EXPENSE_APPROVER);
const CHECK = {
  identity: DIEGO.userName,
  plan: {
    value: {
      accounts: [
        {
          op: "Modify",
          application: EXPENSE.application,
          attributes: [{ op: "Add", name: EXPENSE.attribute, value: EXPENSE.value }],
        },
      ],
    },
    type: "application/sailpoint.object.ProvisioningPlan+json",
  },
};
const planOf = (application: string, name: string, value: string, op: string) =>
  `<ProvisioningPlan><AccountRequest application="${application}" op="Modify"><AttributeRequest name="${name}" op="${op}" value="${value}"/></AccountRequest></ProvisioningPlan>`;
const launchOf = (userName: string, plan: string, scheme?: string) => ({
  schemas: ["urn:ietf:params:scim:schemas:sailpoint:1.0:LaunchedWorkflow"],
  workflowName: "LCM Provisioning",
  input: [
    { key: "identityName", value: userName, type: "string" },
    { key: "plan", value: plan, type: "application/xml" },
    ...(scheme ? [{ key: "approvalScheme", value: scheme, type: "string" }] : []),
  ],
});

/** The writes (a launch, a check), valid and not, and the spec's parameter examples on valid bodies. */
function writeProbes(spec: Spec): Probe[] {
  const launch: Route = "POST /LaunchedWorkflows";
  const check: Route = "POST /CheckedPolicyViolations";
  const add = launchOf(DIEGO.userName, planOf(EXPENSE.application, EXPENSE.attribute, EXPENSE.value, "Add"));
  const vpn = asRequested(VPN_USERS);
  const remove = launchOf("dana.whitfield", planOf(vpn.application, vpn.attribute, vpn.value, "Remove"));
  const role = launchOf(DIEGO.userName, planOf("IIQ", "assignedRoles", "Finance Approver", "Add"), "none");
  return [
    { route: launch, path: "/LaunchedWorkflows", body: add, ok: true },
    { route: launch, path: "/LaunchedWorkflows", body: remove, ok: true },
    { route: launch, path: "/LaunchedWorkflows", body: role, ok: true },
    {
      route: launch,
      path: "/LaunchedWorkflows",
      body: { workflowName: "Identity Request Approve" },
      ok: true,
    },
    { route: launch, path: "/LaunchedWorkflows", body: {} },
    { route: launch, path: "/LaunchedWorkflows", body: { workflowName: "No Such Workflow" } },
    { route: launch, path: "/LaunchedWorkflows", body: launchOf("nobody.here", "<ProvisioningPlan/>") },
    { route: launch, path: "/LaunchedWorkflows", body: add, auth: false },
    ...exampleProbes(spec, launch, "/LaunchedWorkflows", add),
    { route: check, path: "/CheckedPolicyViolations", body: CHECK, ok: true },
    {
      route: check,
      path: "/CheckedPolicyViolations",
      body: { ...CHECK, policies: ["Finance SOD Policy", "RandomPolicyNotExisting"] },
      ok: true,
    },
    {
      route: check,
      path: "/CheckedPolicyViolations",
      body: { ...CHECK, identity: "hannah.schmidt" },
      ok: true,
    },
    { route: check, path: "/CheckedPolicyViolations", body: { plan: CHECK.plan } },
    { route: check, path: "/CheckedPolicyViolations", body: { identity: DIEGO.userName, plan: {} } },
    { route: check, path: "/CheckedPolicyViolations", body: CHECK, auth: false },
    ...exampleProbes(spec, check, "/CheckedPolicyViolations", CHECK),
  ];
}

/** Every request of the sweep, built from what the sandbox lists. */
async function sweep(spec: Spec): Promise<Probe[]> {
  const probes: Probe[] = [];
  for (const { name, one: single, filter, byName } of RESOURCES) {
    const list: Route = `GET /${name}`;
    const one = `GET /${single ?? name}/{id}` as Route;
    const all = (await send({ route: list, path: `/${name}`, query: { count: "1000" } })).body as Json;
    const items = (all.Resources ?? []) as Json[];
    const valid = (query: Record<string, string>): Probe => ({
      route: list,
      path: `/${name}`,
      query,
      ok: true,
    });
    probes.push(
      valid({}),
      valid({ count: "0" }),
      valid({ count: "-1" }),
      valid({ startIndex: "0", count: "2" }),
      valid({ startIndex: "2", count: "2" }),
      valid({ startIndex: "1", count: "5000" }),
      { route: list, path: `/${name}`, query: { count: "ten" } },
      { route: list, path: `/${name}`, query: { filter: 'id eq "x" and (' } },
      { route: list, path: `/${name}`, auth: false },
      { route: one, path: `/${single ?? name}/${UNKNOWN_ID}` },
      ...exampleProbes(spec, list, `/${name}`),
      ...exampleProbes(spec, one, `/${single ?? name}/${UNKNOWN_ID}`),
    );
    if (items[0]) {
      probes.push(
        valid({ filter: filter(items[0]) }),
        ...exampleProbes(spec, one, `/${single ?? name}/${String(items[0].id)}`),
      );
    } else {
      probes.push({ route: list, path: `/${name}`, query: { count: "1000" }, ok: true });
    }
    for (const item of items) {
      probes.push({ route: one, path: `/${single ?? name}/${String(item.id)}`, ok: true });
      if (byName) {
        const key = encodeURIComponent(byName(item));
        probes.push({ route: one, path: `/${name}/${key}`, query: { lookupByName: "true" }, ok: true });
      }
    }
    for (const item of name === "Users" ? items : []) {
      const userName = encodeURIComponent(String(item.userName));
      probes.push({ route: one, path: `/Users/${userName}`, query: { lookupByName: "true" }, ok: true });
    }
    for (const item of name === "Applications" ? items : []) {
      probes.push({ route: one, path: `/Applications/${encodeURIComponent(String(item.name))}`, ok: true });
    }
  }
  probes.push(
    { route: "GET /ServiceProviderConfig", path: "/ServiceProviderConfig", ok: true },
    { route: "GET /ServiceProviderConfig", path: "/ServiceProviderConfig", auth: false, ok: true },
    { route: "POST /Entitlements", path: "/Entitlements" },
    { route: "PUT /Entitlements/{id}", path: `/Entitlements/${UNKNOWN_ID}` },
    { route: "DELETE /Entitlements/{id}", path: `/Entitlements/${UNKNOWN_ID}` },
    ...writeProbes(spec),
  );
  return probes;
}

describe.skipIf(missing !== undefined)(
  `IdentityIQ's sandbox answers as the SCIM specifications say${missing ? ` (skipped: ${missing})` : ""}`,
  () => {
    it("every route the sandbox serves is an operation of the 8.3 spec, or outside it for a reason", () => {
      const [current] = iiqSpecs();
      expect(IIQ_ROUTES.filter((route) => !current?.spec.find(route) && !OUTSIDE_SPEC[route])).toEqual([]);
    });

    it("every answer, errors included, across the demo data, against 8.3 and 9.0", async () => {
      const found: string[] = [];
      let checked = 0;
      for (const { version, spec } of iiqSpecs()) {
        const probes = (await sweep(spec)).filter((p) => spec.find(p.route) || OUTSIDE_SPEC[p.route]);
        if (version === "8.3") {
          const probed = new Set(probes.map((p) => p.route));
          expect(IIQ_ROUTES.filter((r) => !NOT_PROBED.has(r) && !probed.has(r))).toEqual([]);
        }
        const answers = await Promise.all(probes.map(send));
        checked += answers.length;
        for (const answer of answers) {
          found.push(...problems(spec, answer).map((p) => `${version} ${p}`), ...malformedVersions(answer));
        }
      }
      const used = new Set<number>();
      const unexplained = [...new Set(found)].filter((problem) => {
        const i = ALLOWED.findIndex((a) => a.match.test(problem));
        if (i >= 0) used.add(i);
        return i < 0;
      });
      expect(unexplained).toEqual([]);
      expect(ALLOWED.filter((_, i) => !used.has(i)).map((a) => a.reason)).toEqual([]);
      expect(checked).toBeGreaterThan(100);
    });
  },
);
