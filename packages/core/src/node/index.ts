/**
 * @sessionware/core/node — the layer the Node-based adapters (Express, Koa) share: a Node
 * request in, the engine's session out; the response held while a changed session commits;
 * the logout's answer written on a Node response. It contains no session rule.
 * @packageDocumentation
 */
export { holdResponse } from './held-response.js';
export type { HeldResponse, ResponseCommitter } from './held-response.js';
export { engineCookieNames, openNodeSession, writeSetCookies } from './node-request.js';
export type { FrameworkRequest, ResponseMode } from './node-request.js';
export { logoutRequestOf, logoutWithoutSession, writeLogoutReply } from './logout.js';
export { attachSession, checkSessionSlot } from './session-property.js';
