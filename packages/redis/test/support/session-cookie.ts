import { createHash } from 'node:crypto';
import { CompactSign } from 'jose';

/**
 * A session cookie value for `sessionId`, signed with `secret` in the wire format of
 * `@sessionware/core` (SPEC K1: a compact JWS, HS256, whose `kid` header is a truncated hash
 * of the secret, over `{"sid": …}`). It lets the request tests open a logged-in user's session
 * that the test created in the store, before the engine can log users in by itself.
 */
export async function signSessionCookie(secret: string, sessionId: string): Promise<string> {
  const kid = createHash('sha256').update('sessionware-kid\0').update(secret).digest('base64url').slice(0, 12);
  return new CompactSign(new TextEncoder().encode(JSON.stringify({ sid: sessionId })))
    .setProtectedHeader({ alg: 'HS256', kid })
    .sign(new TextEncoder().encode(secret));
}
