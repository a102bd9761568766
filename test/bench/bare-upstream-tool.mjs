/**
 * The one tool of the benchmark's bare SDK servers (stdio and HTTP): the same upstream call entitlement-mcp's
 * okta_get_entitlement makes (an undici GET of the entitlement against the sandbox, with the SSWS token),
 * its JSON body returned as the result's text. No validation beyond the SDK's, no guard, no shaping: the floor an
 * MCP server making this call stands on. The sandbox URL and token come from BARE_UPSTREAM_URL and
 * BARE_UPSTREAM_TOKEN.
 */
import { request } from "undici";
import { z } from "zod";

const upstream = process.env.BARE_UPSTREAM_URL;
const token = process.env.BARE_UPSTREAM_TOKEN;

export function registerUpstreamTool(server) {
  if (!upstream || !token) throw new Error("BARE_UPSTREAM_URL and BARE_UPSTREAM_TOKEN must be set");
  server.registerTool(
    "get_entitlement",
    { description: "Get an Okta entitlement", inputSchema: { entitlementId: z.string() } },
    async ({ entitlementId }) => {
      const res = await request(
        `${upstream}/governance/api/v1/entitlements/${encodeURIComponent(entitlementId)}`,
        { headers: { authorization: `SSWS ${token}`, accept: "application/json" } },
      );
      const body = await res.body.json();
      if (res.statusCode >= 400)
        return { isError: true, content: [{ type: "text", text: JSON.stringify(body) }] };
      return { content: [{ type: "text", text: JSON.stringify(body) }] };
    },
  );
}
