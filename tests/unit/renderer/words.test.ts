import { afterEach, describe, expect, it } from 'vitest';
import type { PendingAction } from '../../../contracts/types';
import { auditKind, auditSentence, type AuditNames } from '../../../renderer/src/lib/audit-words';
import { formatDay } from '../../../renderer/src/lib/format';
import { canInWords } from '../../../renderer/src/lib/kinds';
import { durationSeconds, obligationInWords } from '../../../renderer/src/lib/obligations';
import { checkSettings } from '../../../renderer/src/lib/settings-form';
import { actionSentence, bannerVerb, targetBand, type Names } from '../../../renderer/src/lib/undo-words';
import { filterCommands, type Command } from '../../../renderer/src/hooks/useCommands';

const names: Names & AuditNames = {
  title: (id) => ({ m1: 'Wifi at home', m2: 'Doctor notes' } as Record<string, string>)[id],
  band: (id) => (id === 'm3' ? 'AMBER' : undefined),
  space: (id) => ({ 'shared:family': 'Family', 'personal:me': 'Personal' } as Record<string, string>)[id],
  person: (id) => ({ ann: 'Ann', leo: 'Leo' } as Record<string, string>)[id],
};
const action = (a: Partial<PendingAction>): PendingAction => ({
  action_id: 'a1', kind: 'share', space_id: 'personal:me', memory_id: 'm1', actor: 'ann', created_at: '2026-01-01T10:00:00Z',
  commit_at: '2026-01-01T10:15:00Z', seconds_left: 900, status: 'pending', summary: 'Share an AMBER episodic memory into shared:family', ...a,
});

describe('the undo queue in titles, spaces and names (issue 10, defect 10)', () => {
  it('names the memory, the target space and the person, never an id', () => {
    expect(actionSentence(action({ target_space_id: 'shared:family' }), names)).toBe('Sharing “Wifi at home” into Family');
    expect(actionSentence(action({ kind: 'delete', memory_id: 'm2' }), names)).toBe('Deleting “Doctor notes”');
    expect(actionSentence(action({ kind: 'delete', memory_id: 'm3' }), names)).toBe('Deleting an Amber memory');
    expect(actionSentence(action({ kind: 'set_band', memory_id: 'm2', summary: 'Lower a RED semantic memory to AMBER' }), names)).toBe('Lowering “Doctor notes” to AMBER');
    expect(actionSentence(action({ kind: 'remove_member', memory_id: null, space_id: 'shared:family', summary: 'Remove a member from shared:family' }), names, 'leo')).toBe('Removing Leo from Family');
    expect(actionSentence(action({ kind: 'remove_member', memory_id: null, space_id: 'shared:family' }), names)).toBe('Removing a person from Family');
    expect(bannerVerb(action({ target_space_id: 'shared:family' }), names)).toBe('Sharing into Family');
    expect(targetBand({ summary: 'Lower a RED episodic memory to GREEN' })).toBe('GREEN');
  });
});

describe('the audit log in people’s words', () => {
  const e = (topic: string, payload: Record<string, unknown>, extra: Partial<{ actor: string; space_id: string | null }> = {}) =>
    auditSentence({ topic: `${topic}@1.0`, actor: 'ann', space_id: 'personal:me', band: 'AMBER', payload, ...extra }, names, {
      a1: action({ target_space_id: 'shared:family' }),
    });
  it('turns topics into sentences with titles, spaces and names', () => {
    expect(e('RECALL_REQUEST', { memory_id: 'm1', kind: 'get' })).toBe('Ann opened “Wifi at home”');
    expect(e('UNDO_WINDOW_OPENED', { action_id: 'a1', kind: 'share', memory_id: 'm1', commit_at: '2026-01-01T10:15:00Z' })).toMatch(/^Ann shared “Wifi at home” into Family — waits until .+, can be undone$/);
    expect(e('UNDO_APPLIED', { action_id: 'a1', kind: 'share' })).toBe('Ann took back the share of “Wifi at home” into Family');
    expect(e('ACTION_COMMITTED', { action_id: 'a1', kind: 'share', outcome: 'committed' })).toBe('The share of “Wifi at home” into Family went through');
    expect(e('USER_ROLE_ASSIGNED', { member_id: 'leo', role: 'child' }, { space_id: 'shared:family' })).toBe('Ann made Leo a child in Family');
    expect(e('TOMBSTONE_APPLIED', { memory_id: 'm9', mode: 'trash' })).toBe('Ann moved an Amber memory to the trash');
    expect(e('SETTINGS_CHANGED', { settings: { undo_window_seconds: 900 } })).toBe('Ann changed the settings: undo window 15 minutes');
    expect(e('SAFETY_BAND_CHANGED', { memory_id: 'm2', from: 'RED', to: 'AMBER' })).toBe('Ann changed “Doctor notes” from Red to Amber');
    expect(e('MEMORIES_IMPORTED', { band: 'AMBER', count: 1000, memory_ids: ['m1'] })).toBe('Ann imported 1000 Amber memories');
  });
  it('never shows a topic, an id or a capability', () => {
    const topics = ['HIPPO_ENCODE', 'MEMORIES_IMPORTED', 'MEMORY_UPDATED', 'RECALL_REQUEST', 'RECALL_RESULT', 'MEMORY_PROJECTED', 'SAFETY_BAND_CHANGED', 'UNDO_WINDOW_OPENED', 'UNDO_APPLIED', 'ACTION_COMMITTED', 'TOMBSTONE_APPLIED', 'TOMBSTONE_PROPAGATE', 'DSAR_EXPORT', 'USER_SPACE_ACCESS_GRANTED', 'USER_ROLE_ASSIGNED', 'PRESENCE_DEVICE_CHANGED', 'KEY_ROTATED', 'JOB_STATUS_CHANGED', 'SPACE_CREATED', 'SETTINGS_CHANGED', 'VAULT_STATE_CHANGED', 'SYNC_APPLIED', 'SOMETHING_NEW'];
    for (const t of topics) {
      const s = e(t, { memory_id: 'x1', member_id: 'x2', epoch: 2, entries: 3, state: 'online', mode: 'trash', role: 'guest', kind: 'delete' }, { space_id: 'shared:zzz' });
      expect(s, t).not.toMatch(/[A-Z]{2,}_[A-Z]|@1|x1|x2|shared:zzz|WRITE|RECALL|PROJECT|ADMIN/);
      expect(s.length, t).toBeGreaterThan(5);
    }
    expect(auditKind('UNDO_APPLIED@1.0')).toBe('undo');
  });
  it('capabilities as plain verbs', () => {
    expect(canInWords('guardian', ['WRITE', 'RECALL', 'PROJECT', 'ADMIN'])).toBe('reads, writes and shares out; manages who is in the space');
    expect(canInWords('guest', ['RECALL'])).toBe('reads (Green only)');
    expect(canInWords('child', ['WRITE', 'RECALL'])).toBe('reads and writes (Green and Amber only)');
  });
});

describe('obligations in words (no UNDO_WINDOW:PT15M on screen)', () => {
  it('says what an obligation means', () => {
    expect(obligationInWords('UNDO_WINDOW:PT15M')).toBe('waits 15 minutes, can be undone');
    expect(obligationInWords('UNDO_WINDOW:PT3S')).toBe('waits 3 seconds, can be undone');
    expect(obligationInWords('AUDIT_ACCESS')).toBe('opening it is recorded in the audit log');
    expect(durationSeconds('PT1H30M')).toBe(5400);
    expect(durationSeconds('P1D')).toBeNull();
  });
});

describe('"When it happened" is a calendar date (defect 6)', () => {
  const tz = process.env.TZ;
  afterEach(() => { process.env.TZ = tz; });
  it('shows the UTC date it is stored as, in any time zone', () => {
    for (const zone of ['America/Los_Angeles', 'Asia/Tokyo', 'UTC']) {
      process.env.TZ = zone;
      const shown = formatDay('2024-09-03T00:00:00.000Z');
      expect(shown, zone).toBe(new Date(Date.UTC(2024, 8, 3, 12)).toLocaleDateString(undefined, { year: 'numeric', month: 'short', day: 'numeric', timeZone: 'UTC' }));
      expect(shown, zone).toMatch(/\b3\b/);
    }
  });
});

describe('the Settings form says what is wanted', () => {
  it('refuses empty and out-of-range fields with a sentence', () => {
    expect(checkSettings({ undo: '', autoLock: '15', retention: '30' })).toEqual({ problem: expect.stringMatching(/^Enter how many seconds/) });
    expect(checkSettings({ undo: '900', autoLock: '', retention: '30' })).toEqual({ problem: expect.stringMatching(/^Enter after how many idle minutes/) });
    expect(checkSettings({ undo: '900', autoLock: '15', retention: '0' })).toEqual({ problem: expect.stringMatching(/^Enter how many days/) });
    expect(checkSettings({ undo: '1.5', autoLock: '15', retention: '' })).toEqual({ problem: expect.any(String) });
    expect(checkSettings({ undo: '900', autoLock: '0', retention: '' })).toEqual({ settings: { undo_window_seconds: 900, auto_lock_minutes: 0 } });
  });
});

describe('the command palette finds by words', () => {
  const cmd = (label: string, words?: string): Command => ({ id: label, label, words, run: () => {} });
  it('labels first, then other words', () => {
    const all = [cmd('Memories'), cmd('Trash'), cmd('Delete this memory…', 'remove trash bin'), cmd('Space: Family')];
    expect(filterCommands(all, 'trash').map((c) => c.label)).toEqual(['Trash', 'Delete this memory…']);
    expect(filterCommands(all, 'fam').map((c) => c.label)).toEqual(['Space: Family']);
    expect(filterCommands(all, '')).toHaveLength(4);
  });
});
