import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { ValidateFunction } from 'ajv/dist/2020';
import type { Band, MemoryType } from '../../contracts/types';
import type { ImportedItem } from '../import';
import type { ImportedMemory } from '../memories/memories';
import { compileInline, describeErrors } from '../schemas/validator';
import { contractsDir } from '../shared/paths';

/**
 * An imported item made to fit what memory.create accepts (contracts/api/common.schema.json:
 * ShortText, Label, LabelList, Body), the way a person would want it rather than refused: a
 * title over 500 characters is shortened and kept whole at the top of the text; labels are
 * trimmed, emptied ones dropped, duplicates merged, over 100 the rest named in the text; a date
 * that does not parse is left out. What cannot be made to fit (a text over 1,000,000 characters)
 * fails the item. The result is checked against memory.create's request schema last, so a limit
 * changed there is enforced here even before this code learns of it.
 */
export const TITLE_MAX = 500;
export const LABEL_MAX = 200;
export const LABELS_MAX = 100;
export const BODY_MAX = 1_000_000;

export class ItemDoesNotFit extends Error { constructor(reason: string) { super(reason); this.name = 'ItemDoesNotFit'; } }

export interface Fitted { memory: ImportedMemory; warnings: string[] }

/** code points, not UTF-16 units: a cut never splits a surrogate pair */
const cut = (s: string, max: number): string => {
  const cps = [...s];
  return cps.length <= max ? s : cps.slice(0, max - 1).join('') + '…';
};
const length = (s: string): number => [...s].length;

function labels(kind: string, values: string[], warnings: string[], overflow: string[]): string[] {
  const out: string[] = [];
  const seen = new Set<string>();
  for (const raw of values) {
    const v = raw.trim().replace(/\s+/g, ' ');
    if (!v) continue;
    const fitted = length(v) > LABEL_MAX ? cut(v, LABEL_MAX) : v;
    if (fitted !== v) warnings.push(`a ${kind} longer than ${LABEL_MAX} characters was shortened`);
    if (seen.has(fitted)) continue;
    seen.add(fitted);
    out.push(fitted);
  }
  if (out.length > LABELS_MAX) {
    warnings.push(`${out.length - LABELS_MAX} ${kind}s beyond the first ${LABELS_MAX} are listed in the text instead`);
    overflow.push(`${kind[0]!.toUpperCase()}${kind.slice(1)}s: ${out.slice(LABELS_MAX).join(', ')}`);
    return out.slice(0, LABELS_MAX);
  }
  return out;
}

function ms(iso: string | undefined, what: string, warnings: string[]): number | undefined {
  if (iso === undefined) return undefined;
  const t = Date.parse(iso);
  if (Number.isNaN(t)) { warnings.push(`the ${what} date "${iso.slice(0, 40)}" is not a date: left out`); return undefined; }
  return t;
}

let validate: ValidateFunction | undefined;
function createRequest(): ValidateFunction {
  const contract = JSON.parse(readFileSync(join(contractsDir(), 'api', 'methods', 'memory.create.json'), 'utf8')) as { request: object };
  return (validate ??= compileInline(contract.request));
}

export function fitItem(item: ImportedItem, band: Band, type?: MemoryType, expiresAt?: string): Fitted {
  const warnings: string[] = [];
  const overflow: string[] = [];
  let title = item.title.replace(/[\r\n]+/g, ' ').trim();
  let body = item.body;
  if (length(title) > TITLE_MAX) {
    warnings.push(`the title was longer than ${TITLE_MAX} characters: shortened, and kept whole at the top of the text`);
    body = `${title}\n\n${body}`;
    title = cut(title, TITLE_MAX);
  }
  const tags = labels('tag', item.tags, warnings, overflow);
  const people = labels('person', item.people, warnings, overflow);
  const places = labels('place', item.places, warnings, overflow);
  if (item.aliases?.length) overflow.push(`Also known as: ${item.aliases.join(', ')}`);
  if (overflow.length) body = `${body.replace(/\s+$/, '')}\n\n${overflow.join('\n')}\n`;
  const bodyLength = length(body);
  if (bodyLength > BODY_MAX) throw new ItemDoesNotFit(`the text is ${bodyLength} characters long; a memory holds at most ${BODY_MAX}`);
  const occurred = ms(item.occurred_at, 'occurred', warnings);
  const created = ms(item.created_at, 'created', warnings);
  const updated = ms(item.updated_at, 'updated', warnings);
  const memory: ImportedMemory = {
    type: type ?? (occurred !== undefined ? 'episodic' : 'semantic'), band, title, body, tags, people, places,
    ...(occurred !== undefined ? { occurred_at: new Date(occurred).toISOString() } : {}),
    ...(expiresAt ? { expires_at: expiresAt } : {}),
    dates: { created_at: created, updated_at: updated },
  };
  const { dates: _dates, ...request } = memory;
  const v = createRequest();
  if (!v({ ...request, space_id: 'personal:x' })) {
    throw new ItemDoesNotFit(`not a memory: ${describeErrors(v.errors).map((e) => `${e.path} ${e.message}`).join('; ')}`);
  }
  return { memory, warnings: [...new Set(warnings)] };
}
