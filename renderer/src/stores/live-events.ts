import type { Envelope } from '../../../contracts/types';
import type { ApiClient } from '../api/client';
import { useAudit } from './audit';
import { useImport } from './import';
import { useMemories } from './memories';
import { usePrivacy } from './privacy';
import { useSession } from './session';
import { useSettings } from './settings';
import { useSpaces } from './spaces';
import { useSync } from './sync';
import { useTrash } from './trash';
import { useUndo, whenActionsNameMemories } from './undo';

const MEMORY_TOPICS = new Set(['HIPPO_ENCODE', 'MEMORIES_IMPORTED', 'MEMORY_UPDATED', 'TOMBSTONE_APPLIED', 'SAFETY_BAND_CHANGED', 'MEMORY_PROJECTED', 'ACTION_COMMITTED', 'SYNC_APPLIED']);
const UNDO_TOPICS = new Set(['UNDO_WINDOW_OPENED', 'UNDO_APPLIED', 'ACTION_COMMITTED']);
// members: added (USER_SPACE_ACCESS_GRANTED), a role set (USER_ROLE_ASSIGNED), a removal that
// committed (ACTION_COMMITTED, then KEY_ROTATED for the new epoch), or brought in by sync
const SPACE_TOPICS = new Set(['SPACE_CREATED', 'USER_SPACE_ACCESS_GRANTED', 'USER_ROLE_ASSIGNED', 'HIPPO_ENCODE', 'MEMORIES_IMPORTED', 'TOMBSTONE_APPLIED', 'MEMORY_PROJECTED', 'SYNC_APPLIED', 'ACTION_COMMITTED', 'KEY_ROTATED']);
const TRASH_TOPICS = new Set(['TOMBSTONE_APPLIED', 'ACTION_COMMITTED', 'SYNC_APPLIED', 'MEMORY_UPDATED']);

/** Coalesces a burst of events (an import, a share commit) into one re-read. */
function debounced(fn: () => void, ms: number): () => void {
  let timer: ReturnType<typeof setTimeout> | null = null;
  return () => {
    if (timer) clearTimeout(timer);
    timer = setTimeout(() => { timer = null; fn(); }, ms);
  };
}

/** The memories an event says changed, with the version it names (payloads carry ids only). */
function changedMemories(topic: string, payload: Record<string, unknown>): { id: string; version?: number }[] {
  switch (topic) {
    case 'MEMORY_UPDATED':
    case 'TOMBSTONE_APPLIED':
    case 'SAFETY_BAND_CHANGED':
      return typeof payload.memory_id === 'string' ? [{ id: payload.memory_id, ...(typeof payload.version === 'number' ? { version: payload.version } : {}) }] : [];
    case 'SYNC_APPLIED':
      return Array.isArray(payload.memory_ids) ? payload.memory_ids.filter((x): x is string => typeof x === 'string').map((id) => ({ id })) : [];
    default:
      return [];
  }
}

/**
 * Live events into the stores: the host pushes every domain event after its commit, and each
 * store re-reads what the event says changed. Nothing here polls. The one poll left in the
 * renderer is sync.status while the Devices & sync screen is open, for the per-peer progress no
 * event announces (see stores/sync.ts); memories, spaces and devices that sync brings in arrive
 * with SYNC_APPLIED and PRESENCE_DEVICE_CHANGED below.
 */
export function wireLiveEvents(client: ApiClient): () => void {
  const unlocked = () => useSession.getState().phase === 'unlocked';
  const refreshMemories = debounced(() => {
    if (!unlocked()) return;
    const m = useMemories.getState();
    void m.refreshTop();
    if (m.hits !== null) void m.search();
  }, 150);
  const refreshSpaces = debounced(() => { if (unlocked()) void useSpaces.getState().load().catch(() => {}); }, 300);
  // a device came online, went offline, was added or revoked (or a space doc brought devices in,
  // SYNC_APPLIED); when this device itself was linked to its person, it also has another name and
  // other spaces now
  const refreshDevices = debounced(() => {
    if (!unlocked()) return;
    void useSession.getState().refresh();
    void useSpaces.getState().load().catch(() => {});
    if (useSync.getState().watchers > 0) void useSync.getState().load();
  }, 150);
  const refreshUndo = debounced(() => { if (unlocked()) void useUndo.getState().load().catch(() => {}); }, 50);
  const refreshTrash = debounced(() => { if (unlocked() && useTrash.getState().watched) void useTrash.getState().load(); }, 150);
  const refreshAudit = debounced(() => { if (unlocked() && useAudit.getState().watched) void useAudit.getState().load(); }, 400);
  // the undo queue names memories by title: learn the ones not seen yet (without opening them)
  whenActionsNameMemories((ids) => { void useMemories.getState().ensureKnown(ids); });

  const onEvent = (env: Envelope) => {
    const topic = env.topic.split('@')[0]; // versioned on the wire: "HIPPO_ENCODE@1"
    if (topic === 'VAULT_STATE_CHANGED') {
      void useSession.getState().refresh();
      return;
    }
    if (topic === 'SETTINGS_CHANGED' && unlocked()) void useSettings.getState().load().catch(() => {});
    // an export or its read-back moved on: the Privacy center's progress bar, and the next step
    // (or an import: the import dialog's dry run, progress bar and report)
    if (topic === 'JOB_STATUS_CHANGED' && unlocked()) {
      usePrivacy.getState().noteJob((env.payload ?? {}) as Record<string, unknown>);
      useImport.getState().noteJob((env.payload ?? {}) as Record<string, unknown>);
    }
    if (UNDO_TOPICS.has(topic)) refreshUndo();
    if (MEMORY_TOPICS.has(topic)) refreshMemories();
    if (SPACE_TOPICS.has(topic)) refreshSpaces();
    if (TRASH_TOPICS.has(topic)) refreshTrash();
    if (env.obligations.includes('AUDIT_ACCESS')) refreshAudit();
    if (topic === 'PRESENCE_DEVICE_CHANGED' || topic === 'KEY_ROTATED' || topic === 'SYNC_APPLIED') refreshDevices();
    // the open editor follows its memory: trashed, restored, a new band, an edit made elsewhere
    if (unlocked()) for (const c of changedMemories(topic, (env.payload ?? {}) as Record<string, unknown>)) useMemories.getState().noteChanged(c.id, c.version);
  };
  const unsub = client.subscribe('*', onEvent);
  // the connection to the host: a banner, and decrypted content hidden, while it is down; after a
  // reconnect events may have been missed, so the state is read again
  const unStatus = client.onStatus((s) => {
    useSession.getState().setConnection(s);
    if (s !== 'open') return;
    void useSession.getState().refresh();
    refreshUndo();
    refreshMemories();
    refreshSpaces();
    refreshTrash();
    const open = useMemories.getState().selectedId;
    if (open && unlocked()) useMemories.getState().noteChanged(open);
  });
  return () => { unsub(); unStatus(); };
}
