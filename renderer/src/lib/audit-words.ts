import type { Band, PendingAction, Role } from '../../../contracts/types';
import { formatClock, formatDuration } from './format';
import { targetBand } from './undo-words';

/** What a sentence needs to name things: memories by title, spaces and people by name. */
export interface AuditNames {
  title(memoryId: string): string | undefined;
  space(spaceId: string): string | undefined;
  person(memberId: string): string | undefined;
}

export type AuditKind = 'memories' | 'sharing' | 'undo' | 'members' | 'devices' | 'vault';

export const AUDIT_KINDS: { kind: AuditKind; label: string }[] = [
  { kind: 'memories', label: 'Memories written, opened, changed' },
  { kind: 'sharing', label: 'Shares' },
  { kind: 'undo', label: 'Undo window' },
  { kind: 'members', label: 'Spaces and members' },
  { kind: 'devices', label: 'Devices, keys and sync' },
  { kind: 'vault', label: 'Vault and settings' },
];

const KIND_OF: Record<string, AuditKind> = {
  HIPPO_ENCODE: 'memories', MEMORIES_IMPORTED: 'memories', MEMORY_UPDATED: 'memories', RECALL_REQUEST: 'memories', RECALL_RESULT: 'memories',
  TOMBSTONE_APPLIED: 'memories', SAFETY_BAND_CHANGED: 'memories',
  MEMORY_PROJECTED: 'sharing',
  UNDO_WINDOW_OPENED: 'undo', UNDO_APPLIED: 'undo', ACTION_COMMITTED: 'undo',
  USER_SPACE_ACCESS_GRANTED: 'members', USER_ROLE_ASSIGNED: 'members', SPACE_CREATED: 'members',
  PRESENCE_DEVICE_CHANGED: 'devices', KEY_ROTATED: 'devices', SYNC_APPLIED: 'devices', TOMBSTONE_PROPAGATE: 'devices',
  VAULT_STATE_CHANGED: 'vault', SETTINGS_CHANGED: 'vault', DSAR_EXPORT: 'vault', JOB_STATUS_CHANGED: 'vault',
};

export const topicName = (topic: string): string => topic.split('@')[0];
export const auditKind = (topic: string): AuditKind => KIND_OF[topicName(topic)] ?? 'vault';

const BAND_NAME: Record<Band, string> = { GREEN: 'Green', AMBER: 'Amber', RED: 'Red', BLACK: 'Black' };
const A_BAND: Record<Band, string> = { GREEN: 'a Green', AMBER: 'an Amber', RED: 'a Red', BLACK: 'a Black' };
const A_ROLE: Record<Role, string> = { guardian: 'a guardian', adult: 'an adult', teen: 'a teen', child: 'a child', guest: 'a guest' };

export interface AuditInput {
  topic: string;
  actor: string;
  space_id: string | null;
  /** the envelope's band, when the event was read */
  band: Band | null;
  payload: Record<string, unknown> | null;
}

const str = (v: unknown): string | undefined => (typeof v === 'string' ? v : undefined);
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);

/**
 * One audit entry as a sentence in people's words: "Ann shared “Wifi at home” into Family —
 * waits until 14:32, can be undone". Topics, ids and hashes stay under the row's details.
 * `actions` are the staged actions (done ones too) by id, for what an undo event refers to.
 */
export function auditSentence(e: AuditInput, n: AuditNames, actions: Record<string, PendingAction> = {}): string {
  const p = e.payload ?? {};
  const who = n.person(e.actor) ?? 'Someone';
  const space = (id: string | null | undefined) => (id ? n.space(id) ?? 'a space you are not in' : 'a space');
  const mem = (id: unknown, band: Band | null = e.band) => {
    const t = str(id) && n.title(str(id)!);
    if (t) return `“${t}”`;
    return band ? `${A_BAND[band]} memory` : 'a memory';
  };
  const action = str(p.action_id) ? actions[str(p.action_id)!] : undefined;
  const noun = (a: PendingAction | undefined, kind: unknown): string => {
    const k = a?.kind ?? str(kind);
    const m = a?.memory_id ? mem(a.memory_id, a.band ?? null) : 'a memory';
    switch (k) {
      case 'share': return `the share of ${m}${a?.target_space_id ? ` into ${space(a.target_space_id)}` : ''}`;
      case 'delete': return `the deletion of ${m}`;
      case 'set_band': { const to = a && targetBand(a); return `the band change of ${m}${to ? ` to ${BAND_NAME[to]}` : ''}`; }
      case 'remove_member': return `the removal of a person from ${space(a?.space_id ?? e.space_id)}`;
      default: return 'a staged action';
    }
  };
  const cap = (s: string) => s.charAt(0).toUpperCase() + s.slice(1);

  switch (topicName(e.topic)) {
    case 'HIPPO_ENCODE': return `${who} wrote ${mem(p.memory_id)}`;
    case 'MEMORIES_IMPORTED': {
      const k = num(p.count) ?? 0;
      const band = BAND_NAME[str(p.band) as Band] as string | undefined;
      return `${who} imported ${k || 'some'} ${band ? band + ' ' : ''}memor${k === 1 ? 'y' : 'ies'}`;
    }
    case 'MEMORY_UPDATED': {
      const fields = Array.isArray(p.fields) ? p.fields : [];
      return fields.includes('restored') ? `${who} restored ${mem(p.memory_id)}` : `${who} edited ${mem(p.memory_id)}`;
    }
    case 'RECALL_REQUEST': return `${who} opened ${mem(p.memory_id)}`;
    case 'RECALL_RESULT':
      return p.effect === 'DENY' ? `${who} was refused ${mem(p.memory_id)}`
        : p.effect === 'ALLOW_REDACTED' ? `${who} saw ${mem(p.memory_id)} with parts hidden` : `${who} saw ${mem(p.memory_id)}`;
    case 'TOMBSTONE_APPLIED':
      switch (p.mode) {
        case 'trash': return `${who} moved ${mem(p.memory_id)} to the trash`;
        case 'restore': return `${who} brought ${mem(p.memory_id)} back from the trash`;
        case 'shred': return `${who} destroyed ${mem(p.memory_id)} for good`;
        case 'expire': return `${cap(mem(p.memory_id))} expired and went to the trash`;
        case 'purge': return `${cap(mem(p.memory_id))} was erased`;
        default: return `${cap(mem(p.memory_id))} went to the trash`;
      }
    case 'SAFETY_BAND_CHANGED': {
      const from = str(p.from) as Band | undefined;
      const to = str(p.to) as Band | undefined;
      return `${who} changed ${mem(p.memory_id, from ?? e.band)}${from ? ` from ${BAND_NAME[from]}` : ''}${to ? ` to ${BAND_NAME[to]}` : ''}`;
    }
    case 'MEMORY_PROJECTED': return `${who} shared ${mem(p.memory_id)} into ${space(str(p.target_space_id))}`;
    case 'UNDO_WINDOW_OPENED': {
      const until = str(p.commit_at) ? ` — waits until ${formatClock(str(p.commit_at))}, can be undone` : ' — waits in the undo window';
      const m = mem(p.memory_id ?? action?.memory_id);
      switch (action?.kind ?? p.kind) {
        case 'share': return `${who} shared ${m} into ${action?.target_space_id ? space(action.target_space_id) : 'another space'}${until}`;
        case 'delete': return `${who} deleted ${m}${until}`;
        case 'set_band': { const to = action && targetBand(action); return `${who} lowered ${m}${to ? ` to ${BAND_NAME[to]}` : ''}${until}`; }
        case 'remove_member': return `${who} removed a person from ${space(e.space_id)}${until}`;
        default: return `${who} started something that${until.replace(' — ', ' ')}`;
      }
    }
    case 'UNDO_APPLIED': return `${who} took back ${noun(action, p.kind)}`;
    case 'ACTION_COMMITTED':
      return p.outcome === 'failed'
        ? `${cap(noun(action, p.kind))} did not go through${str(p.reason) ? `: ${p.reason}` : ''}`
        : `${cap(noun(action, p.kind))} went through`;
    case 'USER_SPACE_ACCESS_GRANTED': {
      const role = str(p.role) as Role | undefined;
      return `${who} gave ${n.person(str(p.member_id) ?? '') ?? 'a person'} access to ${space(e.space_id)}${role ? ` as ${A_ROLE[role] ?? role}` : ''}`;
    }
    case 'USER_ROLE_ASSIGNED': {
      const role = str(p.role) as Role | undefined;
      return `${who} made ${n.person(str(p.member_id) ?? '') ?? 'a person'} ${role ? A_ROLE[role] ?? role : 'a member'} in ${space(e.space_id)}`;
    }
    case 'SPACE_CREATED': return `${who} created the space ${space(e.space_id)}`;
    case 'PRESENCE_DEVICE_CHANGED':
      switch (p.state) {
        case 'added': return 'A device was linked';
        case 'online': return 'A device came online';
        case 'offline': return 'A device went offline';
        case 'revoked': return `${who} revoked a device`;
        default: return 'A device changed';
      }
    case 'KEY_ROTATED': {
      const epoch = num(p.epoch);
      return epoch && epoch > 1 ? `${space(e.space_id)} moved to new keys` : `Keys were made for ${space(e.space_id)}`;
    }
    case 'SYNC_APPLIED': {
      const k = num(p.entries) ?? 0;
      return `${k || 'Some'} change${k === 1 ? '' : 's'} arrived from another device`;
    }
    case 'TOMBSTONE_PROPAGATE': return `The erasure of ${mem(p.memory_id)} was sent to the other devices`;
    case 'VAULT_STATE_CHANGED':
      switch (p.state) {
        case 'created': return `${who} created the vault`;
        case 'unlocked': return `${who} unlocked the vault`;
        case 'locked': return 'The vault was locked';
        case 'passphrase_changed': return `${who} changed the passphrase`;
        default: return 'The vault changed';
      }
    case 'SETTINGS_CHANGED': {
      const s = (p.settings ?? {}) as Record<string, unknown>;
      const parts: string[] = [];
      if (num(s.undo_window_seconds) !== undefined) parts.push(`undo window ${formatDuration(num(s.undo_window_seconds)!)}`);
      if (num(s.auto_lock_minutes) !== undefined) parts.push(num(s.auto_lock_minutes) ? `lock after ${num(s.auto_lock_minutes)} idle minutes` : 'never lock by itself');
      if (num(s.trash_retention_days) !== undefined) parts.push(`trash kept ${num(s.trash_retention_days)} days`);
      return `${who} changed the settings${parts.length ? `: ${parts.join(', ')}` : ''}`;
    }
    case 'DSAR_EXPORT': return `An export of ${who === 'Someone' ? 'a person’s' : `${who}’s`} data was made`;
    case 'JOB_STATUS_CHANGED': return `A background job is ${str(p.status) ?? 'moving on'}`;
    default: return 'Something this version of the app cannot describe yet happened';
  }
}
