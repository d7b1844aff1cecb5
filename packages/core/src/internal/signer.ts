import { createHash, webcrypto } from 'node:crypto';
import { CompactSign, compactVerify, type CompactJWSHeaderParameters } from 'jose';
import { ClockCache } from './clock-cache.js';
import { parseSessionId } from './id.js';

/** A verified cookie: the session id, and whether the key that signed it is the current one. */
export interface VerifiedToken {
  readonly sessionId: string;
  readonly currentKey: boolean;
}

/** Signs session ids into compact JWS cookies and verifies them (SPEC K1, K2, K5). */
export interface Signer {
  sign(sessionId: string): Promise<string>;
  /** The session id of a valid cookie, or `null` for anything else. Never throws. */
  verify(token: string): Promise<VerifiedToken | null>;
  /**
   * What `verify` answered for this exact string before, if it is still cached: the common
   * case of a returning cookie, answered without a promise. Undefined: call `verify`.
   */
  cached(token: string): VerifiedToken | undefined;
}

/** Longest cookie value even looked at; a real one is about 120 characters. */
const MAX_TOKEN_LENGTH = 512;
const COMPACT_JWS = /^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+$/;
const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** An HMAC-SHA256 key for jose; the promise is shared, so each secret is imported once. */
function importKey(secret: string): Promise<webcrypto.CryptoKey> {
  const key = webcrypto.subtle.importKey('raw', encoder.encode(secret), { name: 'HMAC', hash: 'SHA-256' }, false, ['sign', 'verify']);
  key.catch(() => undefined);
  return key;
}

/** The key id names the key without revealing it: a truncated hash of the secret. */
function keyId(secret: string): string {
  return createHash('sha256').update('sessionware-kid\0').update(secret).digest('base64url').slice(0, 12);
}

/**
 * Creates the signer. The first secret signs; all verify by `kid`. Verified cookie strings
 * are remembered in a bounded cache keyed by the whole string, so a returning cookie costs a
 * map lookup, not a verify (SPEC K5; see docs/perf-notes.md#verify-cache). Only successes are cached.
 */
export function createSigner(secrets: readonly string[], cacheSize: number): Signer {
  // Each secret imported once as a WebCrypto key, not per call: see docs/perf-notes.md#signing-keys.
  const keys = new Map(secrets.map((secret) => [keyId(secret), importKey(secret)]));
  const [signingKid] = keys.keys();
  const signingKey = signingKid === undefined ? undefined : keys.get(signingKid);
  if (signingKid === undefined || signingKey === undefined) throw new TypeError('no signing secret');
  const cache = new ClockCache<string, VerifiedToken>(cacheSize);
  const resolveKey = (header: CompactJWSHeaderParameters): Promise<webcrypto.CryptoKey> => {
    const key = header.kid === undefined ? undefined : keys.get(header.kid);
    if (key === undefined) throw new Error('unknown key');
    return key;
  };

  return {
    async sign(sessionId) {
      return new CompactSign(encoder.encode(JSON.stringify({ sid: sessionId })))
        .setProtectedHeader({ alg: 'HS256', kid: signingKid })
        .sign(await signingKey);
    },

    cached: (token) => cache.get(token),

    async verify(token) {
      const cached = cache.get(token);
      if (cached !== undefined) return cached;
      if (token.length > MAX_TOKEN_LENGTH || !COMPACT_JWS.test(token)) return null;
      try {
        const { payload, protectedHeader } = await compactVerify(token, resolveKey, { algorithms: ['HS256'] });
        const claims: unknown = JSON.parse(decoder.decode(payload));
        const sid = typeof claims === 'object' && claims !== null ? (claims as { sid?: unknown }).sid : undefined;
        if (typeof sid !== 'string' || parseSessionId(sid) === undefined) return null;
        const verified = Object.freeze({ sessionId: sid, currentKey: protectedHeader.kid === signingKid });
        cache.set(token, verified);
        return verified;
      } catch {
        return null;
      }
    },
  };
}
