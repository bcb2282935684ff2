import { iso } from '../shared/time';

/** the timestamps sources give, as ISO 8601 UTC strings; `undefined` for anything not a real date */

const valid = (ms: number): string | undefined => (Number.isFinite(ms) && ms > 0 && ms < 253402300800000 ? iso(ms) : undefined);

/** Evernote ENEX: `20231105T101500Z` (basic ISO 8601, UTC) */
export function fromEnexDate(s: string | undefined): string | undefined {
  const m = /^\s*(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z\s*$/.exec(s ?? '');
  if (!m) return undefined;
  const [y, mo, d, h, mi, se] = m.slice(1).map(Number) as [number, number, number, number, number, number];
  const ms = Date.UTC(y, mo - 1, d, h, mi, se);
  const back = new Date(ms);
  if (back.getUTCMonth() !== mo - 1 || back.getUTCDate() !== d) return undefined; // 20230231T…
  return valid(ms);
}

/** Google Keep: microseconds since the epoch, as a number or a numeric string */
export function fromMicros(us: unknown): string | undefined {
  const n = typeof us === 'string' && /^\d+$/.test(us) ? Number(us) : us;
  return typeof n === 'number' ? valid(Math.floor(n / 1000)) : undefined;
}

/** milliseconds since the epoch (Joplin's todo_completed, todo_due) */
export const fromMillis = (ms: unknown): string | undefined => {
  const n = typeof ms === 'string' && /^\d+$/.test(ms) ? Number(ms) : ms;
  return typeof n === 'number' ? valid(n) : undefined;
};

/**
 * A date as people write it in front matter or as a parser hands it over: a `Date` (YAML
 * timestamps), an ISO 8601 string (`2023-11-05`, `2023-11-05T10:15:00Z`, `2023-11-05 10:15`),
 * or epoch milliseconds. A date or local time without a zone is read as UTC, so the result does
 * not depend on the machine's time zone.
 */
export function fromAnyDate(v: unknown): string | undefined {
  if (v instanceof Date) return valid(v.getTime());
  if (typeof v === 'number') return valid(v);
  if (typeof v !== 'string') return undefined;
  const s = v.trim();
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?\s*(Z|[+-]\d{2}:?\d{2})?)?$/i.exec(s);
  if (!m) return undefined;
  const [, y, mo, d, h = '00', mi = '00', se = '00', frac = '', zone] = m;
  const ms = Number((frac + '000').slice(0, 3));
  let t = Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(se), ms);
  const check = new Date(Date.UTC(Number(y), Number(mo) - 1, Number(d)));
  if (check.getUTCMonth() !== Number(mo) - 1 || check.getUTCDate() !== Number(d)) return undefined;
  if (zone && zone.toUpperCase() !== 'Z') {
    const z = /^([+-])(\d{2}):?(\d{2})$/.exec(zone)!;
    const offset = (Number(z[2]) * 60 + Number(z[3])) * 60_000 * (z[1] === '-' ? -1 : 1);
    t -= offset;
  }
  return valid(t);
}
