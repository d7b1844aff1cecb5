import type { IncomingMessage, ServerResponse } from 'node:http';
import { clearingCookies } from '../known-cookies.js';
import { logoutReply, methodNotAllowed, type LogoutReply, type LogoutRequest, type ResolvedLogoutOptions } from '../logout.js';
import { writeSetCookies } from './node-request.js';

/** What a logout needs of a Node request: its method and the headers that choose the reply (SPEC L3). */
export function logoutRequestOf(req: IncomingMessage): LogoutRequest {
  return { method: req.method ?? 'GET', contentType: req.headers['content-type'], accept: req.headers.accept };
}

/**
 * A logout route that found no session of its own (mounted before `session()`, or without
 * it: SPEC L6): it clears the cookies of every session configuration this process created
 * (the defaults when none), and says that no server record was revoked. Any method but POST
 * gets 405 and keeps its cookies, as with a session (SPEC L3).
 */
export function logoutWithoutSession(req: IncomingMessage, res: ServerResponse, secure: boolean, options: ResolvedLogoutOptions): LogoutReply {
  const request = logoutRequestOf(req);
  if (request.method.toUpperCase() !== 'POST') return methodNotAllowed();
  const cookies = clearingCookies(secure);
  writeSetCookies(res, cookies.map((cookie) => cookie.slice(0, cookie.indexOf('='))), cookies);
  return logoutReply(request, options, false, ['ERR_SESSION_CONFIG']);
}

/** Writes a logout reply on a Node response. */
export function writeLogoutReply(res: ServerResponse, reply: LogoutReply): void {
  res.statusCode = reply.status;
  for (const [name, value] of Object.entries(reply.headers)) res.setHeader(name, value);
  res.end(reply.body);
}
