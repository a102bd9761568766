import { z } from "zod";
import { defineOperation, READ } from "../../src/core/operation.js";
import { listSummary } from "../lists.js";
import { after, listOutput, optStr, pageLimit } from "../params.js";

const userOut = z.looseObject({
  id: optStr,
  status: optStr,
  profile: z.looseObject({ firstName: optStr, lastName: optStr, email: optStr, login: optStr }).nullish(),
});
const appOut = z.looseObject({ id: optStr, name: optStr, label: optStr, status: optStr, orn: optStr });

const matching = (text: string | undefined) => (text ? `matching "${text}"` : undefined);
const q = (what: string) =>
  z.string().min(1).max(100).optional().describe(`Text the ${what} starts with; omit to list them all.`);

export const oktaDirectoryOperations = [
  defineOperation({
    name: "okta_search_users",
    title: "Search users",
    description:
      "Finds Okta users by the start of their first name, last name or email, for the user id other tools take. Returns id, status, name, email and login.",
    provider: "okta",
    route: "GET /api/v1/users",
    input: z.object({
      q: q("first name, last name or email"),
      limit: pageLimit,
      after,
    }),
    output: listOutput(userOut),
    annotations: READ,
    guard: "none",
    paging: "okta-cursor",
    summarize: (out, input) =>
      listSummary(
        out,
        "users",
        (u) => {
          const p = u.profile;
          const name = [p?.firstName, p?.lastName].filter(Boolean).join(" ") || "(no name)";
          const email = p?.email ?? p?.login;
          return `- ${name}${email ? ` <${email}>` : ""} (${u.id ?? "?"}) ${u.status ?? ""}`.trimEnd();
        },
        { scope: matching(input.q) },
      ),
  }),

  defineOperation({
    name: "okta_search_apps",
    title: "Search apps",
    description:
      "Finds Okta apps by the start of their name or label, for the app id other tools take. Returns id, label, name, status and ORN.",
    provider: "okta",
    route: "GET /api/v1/apps",
    input: z.object({
      q: q("app label or name"),
      limit: pageLimit,
      after,
    }),
    output: listOutput(appOut),
    annotations: READ,
    guard: "none",
    paging: "okta-cursor",
    summarize: (out, input) =>
      listSummary(
        out,
        "apps",
        (a) =>
          `- ${a.label ?? a.name ?? "(no label)"} (${a.id ?? "?"}) name=${a.name ?? "?"} ${a.status ?? ""}${a.orn ? ` orn=${a.orn}` : ""}`.trimEnd(),
        { scope: matching(input.q) },
      ),
  }),
];
