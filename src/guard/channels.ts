/**
 * The ways a person can confirm a change, strongest first (README "The guard"): the client's own dialog
 * (form elicitation), an approval card the host renders in the conversation (MCP Apps), an approval page
 * the server hosts (URL-mode elicitation), and a confirmation token the assistant relays. The operator
 * names the weakest one allowed; a client confirms only through the strongest one it declared (no
 * downgrade), and is offered tools that may need confirmation only when that one is allowed.
 */

export type ChannelKind = "form" | "card" | "page" | "token";

/** Strongest first. */
export const CHANNELS: readonly ChannelKind[] = ["form", "card", "page", "token"];

/** How each channel is named to people and the model. */
export const CHANNEL_NAMES: Readonly<Record<ChannelKind, string>> = {
  form: "the client's own confirmation dialog",
  card: "an approval card in the conversation",
  page: "an approval page in the browser",
  token: "a confirmation token",
};

/** True when `kind` is at least as strong as `weakest`, the weakest channel the operator allows. */
export function channelAllowed(kind: ChannelKind, weakest: ChannelKind): boolean {
  return CHANNELS.indexOf(kind) <= CHANNELS.indexOf(weakest);
}

export function isChannelKind(value: string): value is ChannelKind {
  return (CHANNELS as readonly string[]).includes(value);
}
