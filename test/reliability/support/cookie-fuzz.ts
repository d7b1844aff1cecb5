import { createHmac, randomBytes } from 'node:crypto';
import fc from 'fast-check';

/** One generated Cookie request: which generator made it, and the Cookie header values as bytes. */
export interface FuzzCookie {
  kind: string;
  headers: Buffer[];
}

/** What the near-valid inputs are made from: a real, live session cookie of the app under test. */
export interface RealCookie {
  name: string;
  indicator: string;
  token: string;
}

/** Node's default limit is 16 KiB for the request line and all headers; the rest of the request takes < 200 bytes. */
export const MAX_COOKIE_BYTES = 15_000;

const B64URL = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_';
const b64url = (text: string): string => Buffer.from(text).toString('base64url');
const segments = (token: string) => token.split('.');

/**
 * False when `candidate` is the real token in another spelling that jose accepts: the same
 * header and payload text, and a signature segment that decodes to the same bytes (its last
 * character carries 2 unused bits, so 4 spellings share one MAC). Only such a spelling may
 * log in; every other candidate must be anonymous.
 */
export function differsFrom(real: string, candidate: string): boolean {
  const [h, p, s, ...rest] = segments(candidate);
  const [rh, rp, rs = ''] = segments(real);
  if (rest.length > 0 || s === undefined || !/^[A-Za-z0-9_-]+$/.test(s)) return true;
  return h !== rh || p !== rp || !Buffer.from(s, 'base64url').equals(Buffer.from(rs, 'base64url'));
}

/** Token-shaped strings derived from the real token: mutated, truncated, re-encoded, re-signed. */
function nearTokens(real: string): fc.Arbitrary<{ kind: string; value: string }> {
  const [h = '', p = '', s = ''] = segments(real);
  const header = JSON.parse(Buffer.from(h, 'base64url').toString()) as { alg: string; kid: string };
  const payload = JSON.parse(Buffer.from(p, 'base64url').toString()) as { sid: string };
  const wellFormedSid = fc.stringMatching(/^[A-Za-z0-9_-]{43}$/);
  const payloads = fc.oneof(
    fc.constant(p),
    fc.constant(b64url(JSON.stringify({ sid: payload.sid, exp: 1 }))),
    wellFormedSid.map((sid) => b64url(JSON.stringify({ sid }))),
    fc.constantFrom('{}', 'null', '[]', '{"sid":1}', '{"sid":null}', '"x"', '{"sid":"../x"}').map(b64url),
  );
  const kids = fc.oneof(
    fc.constantFrom(header.kid, header.kid.toUpperCase(), `${header.kid}x`, '', '../../etc/passwd', 'null'),
    fc.string({ maxLength: 20 }),
  );
  const signWithRandomKey = (input: string) => createHmac('sha256', randomBytes(32)).update(input).digest('base64url');
  const mutate = fc
    .array(fc.record({ at: fc.nat(), to: fc.constantFrom(...B64URL, '.', '=', '+', '/', '%', ' ', '"', ',', 'é', '\u2603') }), { minLength: 1, maxLength: 4 })
    .map((edits) => {
      const chars = [...real];
      for (const { at, to } of edits) chars[at % chars.length] = to;
      return chars.join('');
    })
    .filter((value) => differsFrom(real, value));
  return fc.oneof(
    mutate.map((value) => ({ kind: 'mutated', value })),
    fc.nat({ max: real.length - 1 }).map((n) => ({ kind: 'truncated', value: n % 2 === 0 ? real.slice(0, n) : real.slice(n + 1) })),
    fc.tuple(fc.constantFrom('none', 'None', 'NONE', 'HS384', 'HS512', 'RS256', 'ES256', ''), fc.constantFrom('', s, 'AAAA'), payloads)
      .map(([alg, sig, pay]) => ({ kind: 'alg swapped', value: `${b64url(JSON.stringify({ alg, kid: header.kid }))}.${pay}.${sig}` })),
    fc.constantFrom(
      JSON.stringify({ kid: header.kid, alg: header.alg }),
      JSON.stringify(header, null, 1),
      JSON.stringify({ ...header, typ: 'JWT' }),
      JSON.stringify({ ...header, crit: ['b64'], b64: false }),
      JSON.stringify({ ...header, alg: 'hs256' }),
    ).chain((text) => fc.constantFrom(
      `${b64url(text)}.${p}.${s}`,
      `${Buffer.from(text).toString('base64')}.${p}.${s}`,
      `${h}=.${p}.${s}`,
      Buffer.from(real).toString('base64'),
    )).map((value) => ({ kind: 're-encoded', value })),
    fc.tuple(kids, payloads).map(([kid, pay]) => {
      const input = `${b64url(JSON.stringify({ alg: 'HS256', kid }))}.${pay}`;
      return { kind: 'wrong kid or key', value: `${input}.${signWithRandomKey(input)}` };
    }),
    payloads.filter((pay) => pay !== p).map((pay) => ({ kind: 'payload swapped', value: `${h}.${pay}.${s}` })),
    fc.constantFrom(`${real}.${s}`, `${h}.${p}`, `${p}.${h}.${s}`, `${h}..${s}`, `${real}${real}`, `.${real}`, `${s}.${p}.${h}`)
      .map((value) => ({ kind: 'segments', value })),
  );
}

/** Percent-encodes some characters (the cookie parser decodes `%XX`), or adds broken escapes. */
function percentEncoded(value: fc.Arbitrary<string>): fc.Arbitrary<string> {
  return fc.tuple(value, fc.array(fc.boolean(), { maxLength: 200 }), fc.constantFrom('', '%', '%G1', '%e9', '%C3%A9', '%00', '%0d%0a', '%2', '%%41'))
    .map(([text, picks, broken]) => [...text].map((c, i) => (picks[i] === true ? encodeURIComponent(c).replace(/^[^%]/, (x) => `%${x.charCodeAt(0).toString(16).padStart(2, '0')}`) : c)).join('') + broken);
}

/** Every Cookie header shape the fuzzer sends, around values from `nearTokens` and plain noise. */
export function fuzzCookies(real: RealCookie): fc.Arbitrary<FuzzCookie> {
  const token = nearTokens(real.token);
  // Control characters are rare on purpose: Node's parser answers 400 for them before the app runs.
  const noise = fc.oneof(
    { weight: 3, arbitrary: fc.string({ maxLength: 80 }).map((value) => ({ kind: 'random string', value })) },
    { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 80 }).map((value) => ({ kind: 'random code points', value })) },
    { weight: 3, arbitrary: fc.string({ unit: 'grapheme', maxLength: 40 }).map((value) => ({ kind: 'unicode', value })) },
    { weight: 3, arbitrary: fc.stringMatching(/^[A-Za-z0-9_-]{1,60}\.[A-Za-z0-9_-]{1,200}\.[A-Za-z0-9_-]{0,60}$/).map((value) => ({ kind: 'random token', value })) },
  );
  const value = fc.oneof({ weight: 3, arbitrary: token }, { weight: 2, arbitrary: noise },
    { weight: 1, arbitrary: token.chain((t) => percentEncoded(fc.constant(t.value)).map((v) => ({ kind: `${t.kind}, percent-encoded`, value: v }))) },
    { weight: 1, arbitrary: fc.tuple(token, fc.integer({ min: 1_000, max: 14_000 })).map(([t, size]) => ({ kind: `${t.kind}, huge`, value: t.value.padEnd(size, t.value + 'A') })) },
  );
  const name = fc.oneof({ weight: 6, arbitrary: fc.constant(real.name) },
    { weight: 1, arbitrary: fc.constantFrom(real.name.toUpperCase(), ` ${real.name}`, `${real.name} `, 'sw%2Esid', `${real.name}\t`, `"${real.name}"`, real.indicator, '', `${real.name}=`) });
  const separator = fc.oneof(
    { weight: 9, arbitrary: fc.constantFrom('; ', ';', ';;', ' ; ', ',', ', ', '\t;', '&', ' ', '', '=', '; ;') },
    { weight: 1, arbitrary: fc.constantFrom('\x00', '\r\n', '\n', '\x7f', '\x01', '\r') },
  );
  const quote = fc.constantFrom('', '"', "'");
  const pair = fc.tuple(name, quote, value).map(([n, q, v]) => ({ kind: v.kind, text: `${n}=${q}${v.value}${q}` }));
  const other = fc.tuple(fc.string({ maxLength: 12 }), fc.string({ maxLength: 30 })).map(([n, v]) => `${n}=${v}`);
  const header = fc.tuple(fc.array(pair, { minLength: 1, maxLength: 4 }), fc.array(other, { maxLength: 6 }), separator, fc.boolean(), fc.boolean())
    .chain(([pairs, others, sep, indicatorToo, shuffle]) => {
      const all = [...pairs.map((p) => p.text), ...others, ...(indicatorToo ? [`${real.indicator}=1`] : [])];
      const kinds = [...new Set(pairs.map((p) => p.kind))].join(' + ');
      const shaped = (pairs.length > 1 ? 'duplicated, ' : '') + kinds;
      return (shuffle ? fc.shuffledSubarray(all, { minLength: all.length }) : fc.constant(all)).map((ordered) => ({ kind: shaped, text: ordered.join(sep) }));
    });
  const manyCookies = fc.tuple(fc.integer({ min: 100, max: 900 }), token)
    .map(([count, t]) => ({ kind: 'many cookies', text: [...Array.from({ length: count }, (_, i) => `c${i}=v${i}`), `${real.name}=${t.value}`].join('; ') }));
  const headers = fc.oneof(
    { weight: 8, arbitrary: header.map((h) => ({ kind: h.kind, headers: [Buffer.from(h.text)] })) },
    { weight: 2, arbitrary: fc.array(header, { minLength: 2, maxLength: 3 }).map((hs) => ({ kind: 'several Cookie headers', headers: hs.map((h) => Buffer.from(h.text)) })) },
    { weight: 1, arbitrary: manyCookies.map((h) => ({ kind: h.kind, headers: [Buffer.from(h.text)] })) },
    { weight: 1, arbitrary: fc.uint8Array({ maxLength: 300 }).map((bytes) => ({ kind: 'random bytes', headers: [Buffer.from(bytes)] })) },
  );
  return headers.map((input) => printable({ kind: input.kind, headers: capped(input.headers) }));
}

/** An input as assertion messages and fast-check's counterexamples show it: kind, then each header as latin1 (long ones cut). */
export function describeInput(input: FuzzCookie): string {
  return `${input.kind}: ${input.headers.map((h) => JSON.stringify(h.toString('latin1').slice(0, 300))).join(' | ')}`;
}

function printable(input: FuzzCookie): FuzzCookie {
  return Object.assign(input, { [fc.toStringMethod]: () => describeInput(input) });
}

/** Cuts the headers to {@link MAX_COOKIE_BYTES} in total, so every input stays within Node's header limit. */
function capped(headers: Buffer[]): Buffer[] {
  let left = MAX_COOKIE_BYTES;
  return headers.map((header) => {
    const cut = header.subarray(0, Math.max(0, left));
    left -= cut.length + 10;
    return cut;
  });
}

/**
 * True when some `;`-separated value of the headers is the real token itself, plainly or
 * percent-encoded: such an input is not fuzz. The generators never build one; the tests
 * check that they did not.
 */
export function carriesRealToken(input: FuzzCookie, real: RealCookie): boolean {
  const decode = (text: string): string => {
    try {
      return decodeURIComponent(text);
    } catch {
      return text;
    }
  };
  return input.headers.some((header) => header.toString('latin1').split(';').some((pair) => {
    const value = pair.slice(pair.indexOf('=') + 1).trim();
    return value === real.token || decode(value) === real.token;
  }));
}
