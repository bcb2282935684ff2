import type { Band } from '../../contracts/types';
import { policyDocument } from './policy-document';

// PII that AMBER previews hide from others: e-mail addresses and phone numbers.
const EMAIL = /[\p{L}\p{N}._%+-]+@[\p{L}\p{N}.-]+\.[\p{L}]{2,}/gu;
const PHONE = /(?<![\p{L}\p{N}])\+?\d[\d\s().-]{6,}\d(?![\p{L}\p{N}])/gu;

export function redactPii(text: string): string {
  return text.replace(EMAIL, '[email]').replace(PHONE, '[phone]');
}

/**
 * What a reader who is not the author sees of a memory's text in previews, lists and snippets,
 * as the band's `read_for_others` rule says: everything, the text with PII redacted, or nothing
 * (RED until opened; BLACK is never listed for others at all).
 */
export type PreviewRule = 'full' | 'redact_pii' | 'hidden';

export function previewRule(band: Band, readerIsAuthor: boolean): PreviewRule {
  if (readerIsAuthor) return 'full';
  const rule = policyDocument().bands[band].read_for_others;
  return rule === 'full' ? 'full' : rule === 'redact_pii' ? 'redact_pii' : 'hidden';
}

/** Applies a preview rule to one piece of text. */
export function previewText(rule: PreviewRule, text: string): string {
  return rule === 'full' ? text : rule === 'redact_pii' ? redactPii(text) : '';
}
