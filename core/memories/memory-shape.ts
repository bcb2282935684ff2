import type { ValidateFunction } from 'ajv';
import { compileInline, SCHEMA_BASE } from '../schemas/validator';
import { ULID_RE } from '../shared/ulid';

/**
 * The values a memory's two documents may hold (isMeta in memory-doc.ts puts them together),
 * checked where they come from another device. A Yjs
 * document takes any JSON value in any field, and a member's device signs whatever it writes: a
 * tag that is a number, a type the contracts do not know or a date that is not one would reach
 * every member's read model and break what they list (the response contract refuses it), so one
 * member could take the list of a space down for everyone. Metadata is refused at receive (every
 * member reads it under the epoch key, so every member refuses the same entry); content, which
 * only its readers can open, is read leniently: a value of the wrong type is left out.
 */

/** 0000-01-01 to 9999-12-31 (ms): what an ISO timestamp of four-digit years can say (the contracts' date-time takes year 0000). */
export const FIRST_MS = -62_167_219_200_000;
export const LAST_MS = 253_402_300_799_999;
/** A time in ms moved into what a timestamp can show (a source's date of year −1 or 10000). */
export const clampTimeMs = (ms: number): number => Math.min(LAST_MS, Math.max(FIRST_MS, Math.trunc(ms)));

/** A time in ms a timestamp in the contracts can show. */
export const isTimeMs = (v: unknown): v is number => Number.isSafeInteger(v) && (v as number) >= FIRST_MS && (v as number) <= LAST_MS;
export const isTimeOrNull = (v: unknown): boolean => v === null || v === undefined || isTimeMs(v);
export const isId = (v: unknown): boolean => typeof v === 'string' && ULID_RE.test(v);

/** The strings of a list (tags, people, places), anything else left out. */
export const stringsOf = (items: unknown[]): string[] => items.filter((v): v is string => typeof v === 'string');

/** Base64 as b64 (crypto/sodium.ts) writes it: a string only (Buffer.from throws on anything else). */
export const isB64 = (v: unknown): v is string => typeof v === 'string' && v.length % 4 === 0 && /^[A-Za-z0-9+/]*={0,2}$/.test(v);
/** Ids (members' or devices') to base64: a RED key's seals, an epoch key's (keyring entries). */
export const isSealMap = (v: unknown): boolean => !!v && typeof v === 'object' && !Array.isArray(v) && Object.entries(v).every(([id, s]) => isId(id) && isB64(s));

/**
 * A memory key's wrap as wrapDek (memory-keys.ts) writes it, in each of its modes. unwrapDek opens
 * nothing else: a nonce that is a number once threw out of it (a TypeError no caller expects), and
 * memory.list went down for the whole space at the next unlock, when no cached key hid it.
 */
export function isDekWrap(v: unknown): boolean {
  if (!v || typeof v !== 'object' || Array.isArray(v)) return false;
  const w = v as Record<string, unknown>;
  if (w.mode === 'epoch') return Number.isSafeInteger(w.epoch) && (w.epoch as number) >= 1 && isB64(w.nonce) && isB64(w.ct);
  if (w.mode === 'device') return isId(w.device_id) && isB64(w.nonce) && isB64(w.ct);
  if (w.mode === 'sealed') return isSealMap(w.seals) && (w.device_seals === undefined || isSealMap(w.device_seals));
  return false;
}

let timestamp: ValidateFunction | undefined;
/** An ISO timestamp as the contracts define one (common.schema.json's Timestamp): what `occurred_at` may show. */
export const isTimestamp = (v: unknown): v is string =>
  typeof v === 'string' && (timestamp ??= compileInline({ $ref: SCHEMA_BASE + 'api/common.schema.json#/$defs/Timestamp' }))(v);
