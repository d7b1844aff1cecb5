import { SessionDataError } from '../errors.js';
import type { DataChanges } from '../store.js';
import type { SessionDataTracker } from './session-data.js';

/** The UTF-8 byte length of a text. */
export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** What one data key adds to a session's stored size: the UTF-8 bytes of the key and of its JSON text. */
export function entryBytes(key: string, text: string): number {
  return utf8Bytes(key) + utf8Bytes(text);
}

/**
 * The stored size of session data given as one JSON text per key: the sum of the UTF-8 byte
 * lengths of each key and its text. The rule `maxSessionBytes` counts by (SPEC T10).
 */
export function dataBytes(data: Record<string, string>): number {
  let bytes = 0;
  for (const [key, text] of Object.entries(data)) bytes += entryBytes(key, text);
  return bytes;
}

function checkSize(after: number, data: SessionDataTracker, maxSessionBytes: number): void {
  if (after <= maxSessionBytes) return;
  // A session already past the cap (stored before it was lowered) may still change if it does not grow.
  if (after <= data.storedSize()) return;
  throw new SessionDataError(
    `session data is too large: the change would take the session past maxSessionBytes (${maxSessionBytes} bytes)`,
    { status: 413 },
  );
}

/**
 * Before an update is stored: throws {@link SessionDataError} (413) when applying `changes` to
 * the stored session would take it past `maxSessionBytes`, so that nothing of it is written.
 */
export function checkUpdateSize(data: SessionDataTracker, changes: DataChanges, maxSessionBytes: number): void {
  checkSize(data.sizeAfter(changes), data, maxSessionBytes);
}

/**
 * Before a whole record is stored (create, login): throws {@link SessionDataError} (413) when
 * `record`, the data's snapshot, is past `maxSessionBytes` and larger than what is stored now.
 */
export function checkRecordSize(data: SessionDataTracker, record: Record<string, string>, maxSessionBytes: number): void {
  checkSize(dataBytes(record), data, maxSessionBytes);
}
