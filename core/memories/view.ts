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
  const base = {
    memory_id: rec.memory_id, space_id: rec.space_id, type: rec.type, band: rec.band,
    author: rec.author, origin_device: rec.origin_device,
    created_at: iso(rec.created_at), updated_at: iso(rec.updated_at),
    deleted_at: rec.deleted_at ? iso(rec.deleted_at) : null,
    expires_at: rec.expires_at ? iso(rec.expires_at) : null,
    recipients: rec.meta.recipients ?? [], version: rec.version,
    ...(rec.meta.copied_from ? { copied_from: { memory_id: rec.meta.copied_from.memory_id, space_id: rec.meta.copied_from.space_id, copied_at: iso(rec.meta.copied_from.copied_at) } } : {}),
  };
  const redacted = decision !== 'full' && decision.effect === 'ALLOW_REDACTED';
  // a redacted preview follows the band's rule for readers who are not the author
  const rule = redacted ? previewRule(rec.band, false) : 'full';
  if (!content || rule === 'hidden') {
    return { ...base, title: '', body: '', tags: [], people: [], places: [], occurred_at: null, redacted: true };
  }
  // applied last, to every piece of text the reader sees: title, body and each tag, person and place
  const r = (s: string) => previewText(rule, s);
  return {
    ...base, title: r(content.title), body: r(content.body), tags: content.tags.map(r), people: content.people.map(r), places: content.places.map(r),
    occurred_at: content.occurred_at, redacted,
  };
}
