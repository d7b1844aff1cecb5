import { SessionConfigError } from '../../errors.js';

const READER_METHODS = ['sessionIdOf', 'read', 'destroy', 'userIdOf', 'dataOf'] as const;

/** `migrateFrom`: a reader's shape (see `LegacySessionReader`); one that maps users needs `loadUser`. */
export function checkReader(reader: unknown, hasLoadUser: boolean): void {
  if (reader === undefined) return;
  const invalid = (why: string): SessionConfigError => new SessionConfigError(`option migrateFrom is invalid: ${why}`);
  if (typeof reader !== 'object' || reader === null) throw invalid('expected a reader from fromExpressSession() or fromKoaSession()');
  const candidate = reader as Partial<Record<string, unknown>>;
  for (const method of READER_METHODS) {
    if (typeof candidate[method] !== 'function') throw invalid(`expected a reader from fromExpressSession() or fromKoaSession() (missing ${method}())`);
  }
  const names = candidate['cookieNames'];
  if (!Array.isArray(names) || names.length === 0 || !names.every((name) => typeof name === 'string' && name !== '')) throw invalid('cookieNames must be a non-empty list of names');
  if (typeof candidate['library'] !== 'string' || typeof candidate['cookiePath'] !== 'string') throw invalid('library and cookiePath must be strings');
  if (candidate['mapsUsers'] === true && !hasLoadUser) throw invalid('its userIdOf needs the loadUser option, which loads the migrated user');
}
