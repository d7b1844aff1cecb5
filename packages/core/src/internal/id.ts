import { randomBytes } from 'node:crypto';

/** 32 random bytes (256 bits) from the CSPRNG, base64url: 43 characters (SPEC T1). */
export function generateSessionId(): string {
  return randomBytes(32).toString('base64url');
}
