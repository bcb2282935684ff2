import type { Band, PendingAction } from '../../../contracts/types';

/** What the undo queue and the memory's own banner need to name a pending action. */
export interface Names {
  /** a memory's title, when the renderer knows it */
  title(memoryId: string): string | undefined;
  /** a memory's band, when known (for "an Amber memory" when the title is not) */
  band(memoryId: string): Band | undefined;
  space(spaceId: string): string | undefined;
  person(memberId: string): string | undefined;
}

const BAND_WORD: Record<Band, string> = { GREEN: 'a Green', AMBER: 'an Amber', RED: 'a Red', BLACK: 'a Black' };

/** The band a lowering goes to: the core's summary ends in it ("Lower a RED … memory to AMBER"). */
export function targetBand(a: Pick<PendingAction, 'summary'>): Band | null {
  const m = /\bto (GREEN|AMBER|RED|BLACK)\s*$/.exec(a.summary);
  return m ? (m[1] as Band) : null;
}

function memoryName(a: PendingAction, n: Names): string {
  const title = a.memory_id ? n.title(a.memory_id) : undefined;
  if (title) return `“${title}”`;
  const band = (a.memory_id && n.band(a.memory_id)) || a.band;
  return band ? `${BAND_WORD[band]} memory` : 'a memory';
}

/**
 * One line for the undo queue, in titles, space names and people's names:
 * "Sharing “Wifi at home” into Family", "Deleting “Doctor notes”", "Lowering “Bank hint” to AMBER",
 * "Removing Leo from Family". `member` is who a removal removes, when this window staged it.
 */
export function actionSentence(a: PendingAction, n: Names, member?: string): string {
  const space = n.space(a.space_id) ?? 'a space';
  switch (a.kind) {
    case 'share': return `Sharing ${memoryName(a, n)} into ${(a.target_space_id && n.space(a.target_space_id)) ?? 'another space'}`;
    case 'delete': return `Deleting ${memoryName(a, n)}`;
    case 'set_band': { const to = targetBand(a); return `Lowering ${memoryName(a, n)}${to ? ` to ${to}` : ''}`; }
    case 'remove_member': return `Removing ${(member && n.person(member)) ?? 'a person'} from ${space}`;
  }
}

/** The banner on the memory itself: "Sharing into Family", "Deleting", "Lowering to AMBER". */
export function bannerVerb(a: PendingAction, n: Names): string {
  switch (a.kind) {
    case 'share': return `Sharing into ${(a.target_space_id && n.space(a.target_space_id)) ?? 'another space'}`;
    case 'delete': return 'Deleting';
    case 'set_band': { const to = targetBand(a); return to ? `Lowering to ${to}` : 'Changing the band'; }
    case 'remove_member': return 'Removing a person';
  }
}

export const KIND_FILTERS: { kind: PendingAction['kind']; label: string }[] = [
  { kind: 'share', label: 'Shares' },
  { kind: 'delete', label: 'Deletions' },
  { kind: 'set_band', label: 'Band changes' },
  { kind: 'remove_member', label: 'Member removals' },
];
