/**
 * Discovery (RFC 7644 §4): what this SCIM service supports, served without authentication. IdentityIQ's
 * spec answers it as a ListResponse of one configuration, so the sandbox does too.
 */
import type { RouteTable } from "../../kit/http.js";
import { LIST_SCHEMA, MAX_RESULTS } from "../scim.js";
import type { IiqStore } from "../store.js";

export const DISCOVERY_ROUTE = "GET /ServiceProviderConfig";

export const discoveryRoutes: RouteTable<IiqStore> = {
  [DISCOVERY_ROUTE]: (store) => ({
    status: 200,
    body: {
      schemas: [LIST_SCHEMA],
      totalResults: 1,
      itemsPerPage: 1,
      startIndex: 1,
      Resources: [
        {
          patch: { supported: false },
          bulk: { supported: false, maxOperations: 0, maxPayloadSize: 0 },
          filter: { supported: true, maxResults: MAX_RESULTS },
          changePassword: { supported: true },
          sort: { supported: true },
          etag: { supported: true },
          authenticationSchemes: [
            { type: "httpbasic", name: "HTTP Basic", description: "Authentication via HTTP Basic" },
            {
              type: "oauthbearertoken",
              name: "OAuth Bearer Token",
              description: "OAuth 2.0 client credentials",
            },
          ],
          meta: { location: `${store.base()}/ServiceProviderConfig`, resourceType: "ServiceProviderConfig" },
        },
      ],
    },
  }),
};
