/**
 * IdentityIQ's reads of one user, one application and a user's accounts (issue 11), end to end through a
 * real Client against the sandbox: by id and by name, the extension nested under its URN, the accounts
 * filtered by user, summaries that say what was found, SCIM paging as RFC 7644 §3.4.2.4 has it (count 0
 * is the total only, no cap, startIndex below 1 is 1), and the user-accounts catalog and completions.
 */
import { describe, expect, it } from "vitest";
import { IIQ_USER_EXTENSION } from "../../../tools/sailpoint-iiq/users.js";
import { AD, DANA, GRACE, SAP, WORKDAY } from "../../fixtures/sailpoint-iiq.js";
import { call, expectRefusedLocally, ok, text } from "../../helpers/harness.js";
import { testServer } from "../../helpers/test-server.js";

type Json = Record<string, unknown>;

interface Page<T = Json> {
  items: T[];
  nextCursor?: string;
  total?: number;
}

const session = testServer({ perFile: true });

describe("iiq_get_user", () => {
  it("gets a user by id, with what they hold and their accounts under the extension's URN", async () => {
    const result = await call(session.client, "iiq_get_user", { id: DANA.id });
    const user = ok(result);
    expect(user).toMatchObject({ id: DANA.id, userName: "dana.whitfield", displayName: "Dana Whitfield" });
    const extension = user[IIQ_USER_EXTENSION] as {
      entitlements: { display: string; application: string; accountName: string }[];
      accounts: { displayName: string; value: string }[];
    };
    expect(extension.entitlements.map((e) => e.display).sort()).toEqual([
      "Domain Users",
      "Sales Cloud User",
      "VPN Users",
    ]);
    expect(extension.accounts).toHaveLength(2);
    expect(text(result)).toMatch(/^User Dana Whitfield \(dana\.whitfield, [0-9a-f]{32}\)\.\nHolds 3: /);
    expect(text(result)).toMatch(/VPN Users on AD/);
  });

  it("looks a user up by userName with lookupByName, any case", async () => {
    const byName = ok(
      await call(session.client, "iiq_get_user", { id: "Dana.Whitfield", lookupByName: true }),
    );
    expect(byName.id).toBe(DANA.id);
    const inactive = await call(session.client, "iiq_get_user", { id: GRACE.userName, lookupByName: true });
    expect(text(inactive)).toMatch(/Grace Liu .* inactive/);
  });

  it("trims the answer: excluding the extension by its URN, or asking for one of its attributes", async () => {
    const without = ok(
      await call(session.client, "iiq_get_user", {
        id: DANA.id,
        excludedAttributes: `${IIQ_USER_EXTENSION}, emails`,
      }),
    );
    expect(without[IIQ_USER_EXTENSION]).toBeUndefined();
    expect(without.emails).toBeUndefined();
    const only = ok(
      await call(session.client, "iiq_get_user", {
        id: DANA.id,
        attributes: `${IIQ_USER_EXTENSION}:accounts`,
      }),
    );
    expect(Object.keys(only).sort()).toEqual(["id", "meta", "schemas", IIQ_USER_EXTENSION].sort());
    expect(Object.keys(only[IIQ_USER_EXTENSION] as Json)).toEqual(["accounts"]);
  });

  it("answers IdentityIQ's 404 for a user that does not exist", async () => {
    const result = await call(session.client, "iiq_get_user", { id: "nobody", lookupByName: true });
    expect(result.isError).toBe(true);
    expect(text(result)).toMatch(/IdentityIQ answered 404: Resource not found: nobody/);
  });

  it.each([
    [{ id: "dana.whitfield" }, /id.*lookupByName/],
    [{ id: "../Users", lookupByName: true }, /id/],
    [{ id: "a?b", lookupByName: true }, /id/],
    [{ id: DANA.id, lookupByName: "true" }, /lookupByName/],
  ])("refuses %j before any request", async (args, field) => {
    await expectRefusedLocally(session.client, session.sandbox, "iiq_get_user", args, field);
  });
});

describe("iiq_get_application", () => {
  it("gets an application by id and by name, as the spec's {applicationId} allows", async () => {
    const byId = await call(session.client, "iiq_get_application", { id: AD.id });
    expect(ok(byId)).toMatchObject({ id: AD.id, name: "AD", type: "Active Directory - Direct" });
    expect(text(byId)).toBe(`Application AD (${AD.id}) Active Directory - Direct, owned by Priya Raman.`);
    const byName = ok(await call(session.client, "iiq_get_application", { id: "Workday" }));
    expect(byName.id).toBe(WORKDAY.id);
    const trimmed = ok(await call(session.client, "iiq_get_application", { id: SAP.id, attributes: "name" }));
    expect(Object.keys(trimmed).sort()).toEqual(["id", "meta", "name", "schemas"]);
  });

  it("answers IdentityIQ's 404 for an application that does not exist, and refuses a path in the name", async () => {
    const missing = await call(session.client, "iiq_get_application", { id: "Mainframe" });
    expect(text(missing)).toMatch(/IdentityIQ answered 404: Resource not found: Mainframe/);
    await expectRefusedLocally(
      session.client,
      session.sandbox,
      "iiq_get_application",
      { id: "AD/../Users" },
      /id/,
    );
  });
});

describe("iiq_list_accounts", () => {
  it("lists a user's accounts by id or by userName, each on its application", async () => {
    const byId = await call(session.client, "iiq_list_accounts", { userId: DANA.id });
    const accounts = ok<Page<{ application: { displayName: string }; identity: { value: string } }>>(byId);
    expect(accounts.items.map((a) => a.application.displayName).sort()).toEqual(["AD", "Salesforce"]);
    expect(accounts.items.every((a) => a.identity.value === DANA.id)).toBe(true);
    expect(text(byId)).toMatch(/^2 accounts; no more pages\n- dana\.whitfield on (AD|Salesforce) /);
    const byName = ok<Page>(await call(session.client, "iiq_list_accounts", { userName: "dana.whitfield" }));
    expect(byName.items.map((a) => a.id).sort()).toEqual(accounts.items.map((a) => (a as Json).id).sort());
  });

  it("carries the account's entitlement attributes under its application's schema URN", async () => {
    const page = ok<Page>(
      await call(session.client, "iiq_list_accounts", { userId: DANA.id, application: "AD" }),
    );
    expect(page.items).toHaveLength(1);
    const account = page.items[0] as Json;
    expect(account.nativeIdentity).toBe("CN=Dana Whitfield,OU=People,DC=acme,DC=example");
    const attributes = account[
      "urn:ietf:params:scim:schemas:sailpoint:1.0:Application:Schema:AD:account"
    ] as Json;
    expect(attributes.memberOf).toEqual([
      "CN=Domain Users,OU=Groups,DC=acme,DC=example",
      "CN=VPN Users,OU=Groups,DC=acme,DC=example",
    ]);
  });

  it("filters with the spec's own example shape, attribute names in any case, and says when an account is disabled", async () => {
    const filtered = await call(session.client, "iiq_list_accounts", {
      filter: `Application.Value eq "${AD.id}" and DISPLAYNAME sw "g"`,
    });
    expect(text(filtered)).toMatch(
      /^1 account; no more pages\n- grace\.liu on AD .* of Grace Liu, disabled$/,
    );
  });
});

describe("SCIM paging as RFC 7644 has it", () => {
  it("count 0 answers the total only; no cap on count; startIndex below 1 is 1", async () => {
    const all = ok<Page>(await call(session.client, "iiq_list_entitlements", { count: 5000 }));
    expect(all.items.length).toBe(all.total);
    expect(all.nextCursor).toBeUndefined();
    const totalOnly = await call(session.client, "iiq_list_entitlements", { count: 0 });
    expect(ok<Page>(totalOnly)).toMatchObject({ items: [], total: all.total });
    expect(text(totalOnly)).toMatch(new RegExp(`^0 entitlements of ${all.total}`));

    const fromZero = ok<Page<Json>>(
      await call(session.client, "iiq_list_entitlements", { startIndex: 0, count: 3 }),
    );
    const fromOne = ok<Page<Json>>(
      await call(session.client, "iiq_list_entitlements", { startIndex: 1, count: 3 }),
    );
    expect(fromZero.items.map((e) => e.id)).toEqual(fromOne.items.map((e) => e.id));
    expect(fromZero.nextCursor).toBe("4");
  });

  it("sorts users and applications as asked (options the tools used to drop)", async () => {
    const users = ok<Page<{ userName: string }>>(
      await call(session.client, "iiq_search_users", {
        sortBy: "userName",
        sortOrder: "descending",
        count: 3,
      }),
    );
    expect(users.items.map((u) => u.userName)).toEqual(["priya.raman", "olivia.brooks", "marcus.bell"]);
    const apps = ok<Page<Json>>(
      await call(session.client, "iiq_list_applications", {
        sortBy: "name",
        count: 10,
        excludedAttributes: "descriptions, owner",
      }),
    );
    expect(apps.items.map((a) => a.name)).toEqual(["AD", "Salesforce", "SAP", "Workday"]);
    expect(apps.items.every((a) => !("descriptions" in a) && !("owner" in a))).toBe(true);
  });
});

describe("catalog and completions", () => {
  it("serves a user's accounts as a resource, its userName completed from the users", async () => {
    const read = await session.client.readResource({
      uri: "entitlements://iiq/users/dana.whitfield/accounts",
    });
    const body = JSON.parse((read.contents[0] as { text: string }).text) as { items: { id: string }[] };
    expect(body.items).toHaveLength(2);
    const completion = await session.client.complete({
      ref: { type: "ref/resource", uri: "entitlements://iiq/users/{userName}/accounts" },
      argument: { name: "userName", value: "da" },
    });
    expect(completion.completion.values).toEqual(["dana.whitfield"]);
  });
});
