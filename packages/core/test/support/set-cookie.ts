/** One Set-Cookie header split into its parts, attribute names lower-cased, for assertions. */
export interface ParsedSetCookie {
  name: string;
  value: string;
  /** Attribute name → value (`true` for a flag such as `HttpOnly`). */
  attributes: Map<string, string | true>;
}

/** Splits one Set-Cookie header value; deliberately literal, so tests see exactly what was written. */
export function parseSetCookie(header: string): ParsedSetCookie {
  const [pair = '', ...parts] = header.split(';');
  const eq = pair.indexOf('=');
  const attributes = new Map<string, string | true>();
  for (const part of parts) {
    const trimmed = part.trim();
    const at = trimmed.indexOf('=');
    if (at === -1) attributes.set(trimmed.toLowerCase(), true);
    else attributes.set(trimmed.slice(0, at).toLowerCase(), trimmed.slice(at + 1));
  }
  return { name: pair.slice(0, eq).trim(), value: pair.slice(eq + 1).trim(), attributes };
}

/** The attributes without the named ones, as a plain object for deep comparison. */
export function attributesWithout(cookie: ParsedSetCookie, ...names: string[]): Record<string, string | true> {
  return Object.fromEntries([...cookie.attributes].filter(([name]) => !names.includes(name)));
}
