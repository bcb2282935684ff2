import type { Decision, Memory } from '../../contracts/types';
import { iso } from '../shared/time';
import { previewRule, previewText } from '../policy/redaction';
import type { Content } from './memory-doc';
import type { MemoryRecord } from './read-model';

/**
 * What the acting member sees of a memory. `full` is an opened memory; a redacted preview hides
 * PII (AMBER) or all content (RED) from anyone but the author, as spec section 4 says.
 */
export function toView(rec: MemoryRecord, content: Content | null, decision: Decision | 'full'): Memory {
  const redacted = decision !== 'full' && decision.effect === 'ALLOW_REDACTED';
  // a redacted preview follows the band's rule for readers who are not the author
  const rule = redacted ? previewRule(rec.band, false) : 'full';
  const shown = rule === 'hidden' ? null : content;
  // applied last, to every piece of text the reader sees: title, body and each tag, person and place
  const r = (s: string) => previewText(rule, s);
  // one literal, no `{ ...base, more }`: on Node 20 an object made that way ends up in V8's old
  // generation (as measured), so every view (100k in an export) was garbage only a full
  // collection frees: ~75 MB of the export's peak RSS growth at 100k (docs/PERFORMANCE.md)
  const view: Memory = {
    memory_id: rec.memory_id, space_id: rec.space_id, type: rec.type, band: rec.band,
    author: rec.author, origin_device: rec.origin_device,
    created_at: iso(rec.created_at), updated_at: iso(rec.updated_at),
    deleted_at: rec.deleted_at ? iso(rec.deleted_at) : null,
    expires_at: rec.expires_at ? iso(rec.expires_at) : null,
    recipients: rec.meta.recipients ?? [], version: rec.version,
    title: shown ? r(shown.title) : '', body: shown ? r(shown.body) : '',
    tags: shown ? shown.tags.map(r) : [], people: shown ? shown.people.map(r) : [], places: shown ? shown.places.map(r) : [],
    occurred_at: shown ? shown.occurred_at : null, redacted: shown ? redacted : true,
  };
  const from = rec.meta.copied_from;
  if (from) view.copied_from = { memory_id: from.memory_id, space_id: from.space_id, copied_at: iso(from.copied_at) };
  return view;
}
