import * as Y from 'yjs';
import type { Band, Decision, Memory, MemoryCreateRequest, MemoryListRequest, MemoryPatch, MemoryType } from '../../contracts/types';
import { keys, type Ctx } from '../context/ctx';
import { newKey } from '../crypto/sodium';
import { change, deviceClientId, newDoc } from '../crdt/doc-update';
import { emit } from '../events/emit';
import { authorize, bandObligations, capsOf, enforce, keyMissing, type PolicyInput } from '../policy/authorize';
import { ApiError, invalid } from '../shared/errors';
import { parseIso } from '../shared/time';
import { ulid } from '../shared/ulid';
import { undoWindowSeconds } from '../settings/settings';
import { membershipsOf, roleOf, spaceMemberIds, spaceRow } from '../spaces/spaces';
import { appendSealed, appendUpdate, decryptEntry, docEntries, withBatchSignature, type LogName } from '../store/sync-log';
import { memoriesTable } from '../store/tables/memories';
import { type Content, type ContentPatch, type Meta, metaDocId, readMeta, writeContent, writeMeta } from './memory-doc';
import { dekKeyId, unwrapDek, wrapDek, type DekWrap } from './memory-keys';
import { findRecord, loadRecord, metaKeyFor, openContentDoc, openContentOrFail, openMetaDoc, recordFromRow, saveRecord, saveRecordOf, type MemoryRecord } from './read-model';
import { buildNewMemory, type BuiltMemory, type NewMemory } from './fresh-updates';
import { freshUpdatesBuilder, IMPORT_CHUNK, type MetaKeys } from './fresh-updates-thread';
import { isRecordProblem } from './integrity';
import { toView } from './view';
import { indexMemory, indexNewMemory, unindexMemory } from '../search/indexer';
import { clampTimeMs } from './memory-shape';

/** a working memory without an explicit expiry lives a week (the export's README states it) */
export const WORKING_DEFAULT_TTL_MS = 7 * 24 * 3600 * 1000;

export const logFor = (band: Band): LogName => (band === 'BLACK' ? 'local_log' : 'sync_log');

export function policyInput(ctx: Ctx, actor: string, rec: Pick<MemoryRecord, 'space_id' | 'band' | 'author' | 'origin_device' | 'meta'>, action: PolicyInput['action'], extra: Partial<PolicyInput> = {}): PolicyInput {
  return {
    action, band: rec.band, device_id: keys(ctx).deviceId,
    memory: { author: rec.author, recipients: rec.meta.recipients ?? [], origin_device: rec.origin_device },
    ...extra,
    actor: extra.actor ?? { member_id: actor, role: roleOf(ctx, rec.space_id, actor) },
    undoWindowSeconds: extra.undoWindowSeconds ?? undoWindowSeconds(ctx),
  };
}

export const eventActor = (ctx: Ctx, actor: string, space: string) => ({ member_id: actor, caps: capsOf(roleOf(ctx, space, actor)) });

/** The decision input for writing a band into a space. */
export function createInput(ctx: Ctx, actor: string, space: string, band: Band): PolicyInput {
  return { action: 'memory.create', actor: { member_id: actor, role: roleOf(ctx, space, actor) }, band, device_id: keys(ctx).deviceId, undoWindowSeconds: undoWindowSeconds(ctx) };
}

/** The DEK as this actor may open it (RED: only through the actor's own seal); `remember`: see unwrapDek. */
export function dekFor(ctx: Ctx, rec: MemoryRecord, actor?: string, remember = true): Uint8Array {
  const dek = unwrapDek(ctx, rec.space_id, rec.memory_id, rec.meta.dek as DekWrap, rec.band === 'RED' ? actor : undefined, remember);
  if (!dek) throw keyMissing('NO_KEY', 'the memory key is not sealed to the acting member');
  return dek;
}

export function validateRecipients(ctx: Ctx, space: string, band: Band, author: string, recipients: string[] | undefined): string[] {
  if (!recipients || !recipients.length) return [];
  if (band !== 'RED') throw invalid('recipients are only for RED memories', { field: 'recipients' });
  const members = new Set(spaceMemberIds(ctx, space));
  const bad = recipients.filter((r) => !members.has(r));
  if (bad.length) throw invalid('every recipient must be a member of the space', { not_members: bad });
  return [...new Set(recipients.filter((r) => r !== author))];
}

function expiryFor(type: MemoryType, expiresAt: string | undefined | null, now: number): number | null {
  if (type !== 'working') {
    if (expiresAt) throw invalid('only working memories expire', { field: 'expires_at' });
    return null;
  }
  return expiresAt ? clampTimeMs(parseIso(expiresAt)) : now + WORKING_DEFAULT_TTL_MS;
}

/** When an imported memory was written and last changed in its source (ms); absent: now. */
export interface SourceDates { created_at?: number; updated_at?: number }

/** One memory of a bulk import: a create request without its space, and the source's dates. */
export type ImportedMemory = Omit<MemoryCreateRequest, 'space_id'> & { dates?: SourceDates };

/** The parts of a new memory that need the vault (its space, key wrap, recipients); its documents are built from them. */
export function planNewMemory(ctx: Ctx, actor: string, input: MemoryCreateRequest, origin?: Meta['copied_from'], dates: SourceDates = {}, space = spaceRow(ctx, input.space_id)): NewMemory {
  const k = keys(ctx);
  const now = ctx.clock.now();
  // an import keeps its source's dates (never later than now, never updated before created)
  // a source may say anything: kept to what every device's metadata check takes (memory-shape.ts)
  const createdAt = clampTimeMs(Math.min(dates.created_at ?? now, now));
  const updatedAt = Math.max(createdAt, Math.min(dates.updated_at ?? dates.created_at ?? now, now));
  const memoryId = ulid(now);
  const recipients = validateRecipients(ctx, input.space_id, input.band, actor, input.recipients);
  const dek = newKey();
  const meta: Meta = {
    band: input.band, type: input.type, author: actor, origin_device: k.deviceId, created_at: createdAt,
    deleted_at: null, expires_at: expiryFor(input.type, input.expires_at, now), recipients,
    dek: wrapDek(ctx, dek, input.space_id, memoryId, input.band, space.epoch, [actor, ...recipients]),
    ...(origin ? { copied_from: origin } : {}),
  };
  // as the content document reads back (memory-doc.ts readContent): the fields in its order
  const content: Content = {
    title: input.title, body: input.body ?? '', tags: input.tags ?? [], people: input.people ?? [], places: input.places ?? [],
    occurred_at: input.occurred_at ?? null, updated_at: updatedAt,
  };
  return { memoryId, space: input.space_id, dek, meta, content };
}

/**
 * Writes a built memory inside the current unit of work (buildNewMemory, here or on the import's
 * second thread): its two sealed updates appended to the log (signed here: the seq is the log's),
 * the read model, the index.
 */
export function storeNewMemory(ctx: Ctx, actor: string, m: NewMemory, built: BuiltMemory, decision: Decision, announce = true, mk = metaKeyFor(ctx, m.space, m.meta.band)): { rec: MemoryRecord; content: Content } {
  const { memoryId, space, dek, meta } = m;
  const log = logFor(meta.band);
  appendSealed(ctx, log, space, metaDocId(memoryId), mk.keyId, built.entries.meta);
  appendSealed(ctx, log, space, memoryId, dekKeyId(memoryId), built.entries.content);
  keys(ctx).deks.set(memoryId, dek);
  // each document is fresh and was built by its one update: that update is its state
  const src = { meta, metaState: built.updates.meta, content: m.content, contentState: built.updates.content };
  const { rec, content } = saveRecordOf(ctx, memoryId, space, src, dek, 1, mk, built.record);
  indexNewMemory(ctx, rec, content, built.updates.impact);
  // a bulk import announces its memories once per band (MEMORIES_IMPORTED), not one signed event each
  if (announce) emit(ctx, {
    topic: 'HIPPO_ENCODE', payload: { memory_id: memoryId, type: meta.type, band: meta.band, version: 1 },
    actor: eventActor(ctx, actor, space), space_id: space, band: meta.band, obligations: decision.obligations,
  });
  return { rec, content };
}

/** A new memory written inside the current unit of work, built on this thread. */
export function writeNewMemory(ctx: Ctx, actor: string, input: MemoryCreateRequest, decision: Decision, origin?: Meta['copied_from'], dates: SourceDates = {}, announce = true): { rec: MemoryRecord; content: Content } {
  const m = planNewMemory(ctx, actor, input, origin, dates);
  const mk = metaKeyFor(ctx, m.space, m.meta.band);
  return storeNewMemory(ctx, actor, m, buildNewMemory(deviceClientId(keys(ctx).deviceId), m, mk), decision, announce, mk);
}

export function createMemory(ctx: Ctx, actor: string, input: MemoryCreateRequest): { memory: Memory; decision: Decision } {
  spaceRow(ctx, input.space_id);
  const decision = enforce(authorize(createInput(ctx, actor, input.space_id, input.band)));
  const { rec, content } = ctx.uow.run(() => writeNewMemory(ctx, actor, input, decision));
  ctx.metrics.inc('memoryos_memories_written_total', { band: input.band });
  return { memory: toView(rec, content, 'full'), decision };
}

/**
 * Bulk import: one transaction, one policy decision per band, and one MEMORIES_IMPORTED event per
 * band (with that decision's obligations, so an AMBER import is in the audit chain) instead of a
 * signed HIPPO_ENCODE for every memory.
 */
export function importMemories(ctx: Ctx, actor: string, space: string, items: ImportedMemory[]): { imported: number; memory_ids: string[] } {
  spaceRow(ctx, space);
  const decisions = new Map<Band, Decision>();
  for (const band of new Set(items.map((i) => i.band))) {
    decisions.set(band, enforce(authorize(createInput(ctx, actor, space, band))));
  }
  const ids = ctx.uow.run(() => {
    // the batch's log entries under one signature per run of entries (sync-log.ts withBatchSignature)
    const written = withBatchSignature(ctx, () => importInto(ctx, actor, space, items, decisions));
    for (const [band, decision] of decisions) {
      const memory_ids = written.filter((_, k) => items[k]!.band === band) as [string, ...string[]];
      emit(ctx, {
        topic: 'MEMORIES_IMPORTED', payload: { band, count: memory_ids.length, memory_ids },
        actor: eventActor(ctx, actor, space), space_id: space, band, obligations: decision.obligations,
      });
    }
    return written;
  });
  ctx.metrics.inc('memoryos_memories_written_total', { band: 'import' }, ids.length);
  return { imported: ids.length, memory_ids: ids };
}

/**
 * An import's memories, planned here in chunks whose documents are built beside the writing
 * (fresh-updates-thread.ts: on a second thread when the batch is large enough to pay for it, this
 * thread building the last chunks itself whenever it would wait), then written in order. Every
 * chunk is planned and handed over first, so the builder is ahead of the writes; the writes stay
 * on this thread, in the caller's unit of work.
 */
function importInto(ctx: Ctx, actor: string, space: string, items: ImportedMemory[], decisions: Map<Band, Decision>): string[] {
  const clientId = deviceClientId(keys(ctx).deviceId);
  const row = spaceRow(ctx, space);
  // the metadata key of each band, once (the space's epoch cannot change inside this unit of work)
  const metaKeys: MetaKeys = {};
  for (const band of decisions.keys()) metaKeys[band] = metaKeyFor(ctx, space, band);
  const batch = freshUpdatesBuilder(items.length).batch(clientId, metaKeys, Math.ceil(items.length / IMPORT_CHUNK));
  const chunks: NewMemory[][] = [];
  try {
    for (let i = 0; i < items.length; i += IMPORT_CHUNK) {
      const planned = items.slice(i, i + IMPORT_CHUNK).map(({ dates, ...item }) => planNewMemory(ctx, actor, { ...item, space_id: space }, undefined, dates, row));
      chunks.push(planned);
      batch.submit(planned);
    }
    const written: string[] = [];
    chunks.forEach((planned, c) => {
      const built = batch.take(c);
      planned.forEach((m, k) => { storeNewMemory(ctx, actor, m, built[k]!, decisions.get(m.meta.band)!, false, metaKeys[m.meta.band]); written.push(m.memoryId); });
    });
    return written;
  } finally {
    batch.close();
  }
}

export function getMemory(ctx: Ctx, actor: string, memoryId: string): { memory: Memory; decision: Decision } {
  const rec = loadRecord(ctx, memoryId);
  const decision = authorize(policyInput(ctx, actor, rec, 'memory.read'));
  if (decision.effect === 'DENY' && decision.reasons.some((r) => r.code === 'NOT_A_MEMBER')) throw new ApiError('NOT_FOUND', 'memory not found', { id: memoryId });
  enforce(decision);
  const content = openContentOrFail(ctx, rec, dekFor(ctx, rec, actor));
  if (rec.band !== 'GREEN') {
    // opening AMBER, RED and BLACK memories is audited
    ctx.uow.run(() => emit(ctx, {
      topic: 'RECALL_REQUEST', payload: { memory_id: memoryId, kind: 'get' }, actor: eventActor(ctx, actor, rec.space_id),
      space_id: rec.space_id, band: rec.band, obligations: bandObligations(rec.band, undoWindowSeconds(ctx)), audit: true,
    }));
  }
  return { memory: toView(rec, content, 'full'), decision };
}

/**
 * memory.previewAs: what `member` would see of a memory in a space (the share dialog's "Preview
 * as …"). The caller must be able to open it; the member's view is the policy's decision for a
 * preview by that member with their role in that space, redacted by the same view code a list uses.
 */
export function previewMemoryAs(ctx: Ctx, actor: string, memoryId: string, member: string, spaceId?: string): { member_id: string; space_id: string; memory: Memory | null; decision: Decision } {
  const rec = loadRecord(ctx, memoryId);
  const own = authorize(policyInput(ctx, actor, rec, 'memory.read'));
  if (own.effect === 'DENY' && own.reasons.some((r) => r.code === 'NOT_A_MEMBER')) throw new ApiError('NOT_FOUND', 'memory not found', { id: memoryId });
  enforce(own);
  const space = spaceId ?? rec.space_id;
  spaceRow(ctx, space);
  const decision = authorize(policyInput(ctx, member, rec, 'memory.preview', { actor: { member_id: member, role: roleOf(ctx, space, member) } }));
  if (decision.effect === 'DENY') return { member_id: member, space_id: space, memory: null, decision };
  const content = openContentOrFail(ctx, rec, dekFor(ctx, rec, actor));
  return { member_id: member, space_id: space, memory: { ...toView(rec, content, decision), space_id: space }, decision };
}

function spliceAtBase(ctx: Ctx, rec: MemoryRecord, dek: Uint8Array, baseVersion: number, patch: ContentPatch, now: number): Uint8Array | null {
  // Rebuild the document as the editor saw it, apply their edit there, and merge that edit
  // into the current document: concurrent edits to the same text merge character by character.
  const base = newDoc();
  for (const e of docEntries(ctx, logFor(rec.band), rec.space_id, rec.memory_id).slice(0, baseVersion)) {
    const plain = decryptEntry(e, dek);
    if (plain) Y.applyUpdate(base, plain);
  }
  return change(base, () => writeContent(base, patch, now));
}

export function updateMemory(ctx: Ctx, actor: string, memoryId: string, patch: MemoryPatch, baseVersion?: number): { memory: Memory; decision: Decision } {
  const rec = loadRecord(ctx, memoryId);
  const decision = enforce(authorize(policyInput(ctx, actor, rec, 'memory.update')));
  if (baseVersion !== undefined && baseVersion > rec.version) throw new ApiError('CONFLICT', `base_version ${baseVersion} is newer than this memory (version ${rec.version})`, { version: rec.version });
  const dek = dekFor(ctx, rec, actor);
  const now = ctx.clock.now();
  const log = logFor(rec.band);
  const metaPatch: Partial<Meta> = {};
  if (patch.type !== undefined && patch.type !== rec.type) {
    metaPatch.type = patch.type;
    metaPatch.expires_at = patch.type === 'working' ? (rec.expires_at ?? now + WORKING_DEFAULT_TTL_MS) : null;
  }
  if (patch.expires_at !== undefined) metaPatch.expires_at = expiryFor(patch.type ?? rec.type, patch.expires_at, now);
  if (patch.recipients !== undefined) {
    const recipients = validateRecipients(ctx, rec.space_id, rec.band, rec.author, patch.recipients);
    metaPatch.recipients = recipients;
    metaPatch.dek = wrapDek(ctx, dek, rec.space_id, memoryId, rec.band, spaceRow(ctx, rec.space_id).epoch, [rec.author, ...recipients]);
  }
  const contentPatch: ContentPatch = {};
  for (const f of ['title', 'body', 'tags', 'people', 'places', 'occurred_at'] as const) if (patch[f] !== undefined) (contentPatch as Record<string, unknown>)[f] = patch[f];
  const changed = [...(Object.keys(contentPatch) as (keyof ContentPatch)[]), ...(['type', 'expires_at', 'recipients'] as const).filter((f) => patch[f] !== undefined)];

  const result = ctx.uow.run(() => {
    const metaDoc = openMetaDoc(ctx, rec);
    const contentDoc = openContentDoc(ctx, rec, dek);
    let version = rec.version;
    if (Object.keys(metaPatch).length) {
      const u = change(metaDoc, () => writeMeta(metaDoc, metaPatch));
      if (u) { const mk = metaKeyFor(ctx, rec.space_id, rec.band); appendUpdate(ctx, log, rec.space_id, metaDocId(memoryId), mk.keyId, mk.key, u); }
    }
    if (Object.keys(contentPatch).length) {
      let u: Uint8Array | null;
      if (baseVersion !== undefined && baseVersion < rec.version) {
        u = spliceAtBase(ctx, rec, dek, baseVersion, contentPatch, now);
        if (u) Y.applyUpdate(contentDoc, u);
      } else {
        u = change(contentDoc, () => writeContent(contentDoc, contentPatch, now));
      }
      if (u) { appendUpdate(ctx, log, rec.space_id, memoryId, dekKeyId(memoryId), dek, u); version++; }
    }
    const { rec: next, content } = saveRecord(ctx, memoryId, rec.space_id, readMeta(metaDoc), metaDoc, contentDoc, dek, version);
    indexMemory(ctx, next, content);
    emit(ctx, {
      topic: 'MEMORY_UPDATED', payload: { memory_id: memoryId, version, fields: changed }, actor: eventActor(ctx, actor, rec.space_id),
      space_id: rec.space_id, band: rec.band, obligations: decision.obligations,
    });
    return { rec: next, content };
  });
  return { memory: toView(result.rec, result.content, 'full'), decision };
}

/** Rewrites a memory's metadata document (trash, restore, band) inside the current unit of work. */
export function rewriteMeta(ctx: Ctx, rec: MemoryRecord, patch: Partial<Meta>, opts: { toLog?: LogName; dek?: Uint8Array } = {}): MemoryRecord {
  const dek = opts.dek ?? dekFor(ctx, rec);
  const metaDoc = openMetaDoc(ctx, rec);
  const contentDoc = openContentDoc(ctx, rec, dek);
  const u = change(metaDoc, () => writeMeta(metaDoc, patch));
  const meta = readMeta(metaDoc);
  if (u) {
    const mk = metaKeyFor(ctx, rec.space_id, meta.band);
    appendUpdate(ctx, opts.toLog ?? logFor(meta.band), rec.space_id, metaDocId(rec.memory_id), mk.keyId, mk.key, u);
  }
  const { rec: next, content } = saveRecord(ctx, rec.memory_id, rec.space_id, meta, metaDoc, contentDoc, dek, rec.version);
  if (next.deleted_at) unindexMemory(ctx, next.memory_id); else indexMemory(ctx, next, content);
  return next;
}

export interface ListResult { memories: Memory[]; next_cursor: string | null; total: number; skipped: number }

/**
 * Lists what the actor may see, newest first. Content filters (tag, person, date) match the
 * preview the actor is shown — redactions included — so a filter never confirms a value the
 * reader may not see. A record that fails authentication is skipped and counted, nothing more.
 */
export function listMemories(ctx: Ctx, actor: string, q: MemoryListRequest): ListResult {
  const limit = q.limit ?? 50;
  const now = ctx.clock.now();
  // one role lookup per space and one settings read per page, not per row
  const roles = new Map(membershipsOf(ctx, actor).map((m) => [m.space_id, m.role] as const));
  const spaces = q.space_id ? (roles.has(q.space_id) ? [q.space_id] : []) : [...roles.keys()];
  let cursor: { updated_at: number; memory_id: string } | undefined;
  if (q.cursor) {
    const [u, id] = Buffer.from(q.cursor, 'base64url').toString('utf8').split('|');
    if (!u || !id || Number.isNaN(Number(u))) throw invalid('cursor is malformed', { field: 'cursor' });
    cursor = { updated_at: Number(u), memory_id: id };
  }
  const filter = { spaces, type: q.type, band: q.band, trash: q.trash === true, now };
  const contentFilter = q.tag !== undefined || q.person !== undefined || q.from !== undefined || q.to !== undefined;
  const from = q.from ? parseIso(q.from) : -Infinity;
  const to = q.to ? parseIso(q.to) : Infinity;
  const out: Memory[] = [];
  let more = false;
  let matched = 0;
  let skipped = 0;
  const windowS = undoWindowSeconds(ctx);
  for (const row of memoriesTable.listFrom(ctx.db, { ...filter, cursor })) {
    let view: Memory;
    try {
      const rec = recordFromRow(ctx, row);
      const decision = authorize(policyInput(ctx, actor, rec, 'memory.preview', { actor: { member_id: actor, role: roles.get(rec.space_id) ?? null }, undoWindowSeconds: windowS }));
      if (decision.effect === 'DENY') continue;
      // RED opens only through the actor's own seal, whatever any column says
      const dek = unwrapDek(ctx, rec.space_id, rec.memory_id, rec.meta.dek as DekWrap, rec.band === 'RED' ? actor : undefined);
      view = toView(rec, dek ? openContentOrFail(ctx, rec, dek) : null, decision);
    } catch (e) {
      if (!isRecordProblem(e)) throw e;
      skipped++;
      continue;
    }
    if (contentFilter) {
      if (q.tag !== undefined && !view.tags.includes(q.tag)) continue;
      if (q.person !== undefined && !view.people.includes(q.person)) continue;
      const when = Date.parse(view.occurred_at ?? view.created_at);
      if (when < from || when > to) continue;
    }
    matched++;
    if (out.length < limit) out.push(view);
    else { more = true; if (!contentFilter) break; }
  }
  // without content filters the total comes from metadata alone (it may count items policy hides)
  const total = contentFilter ? matched : memoriesTable.countFor(ctx.db, filter);
  const last = out[out.length - 1];
  const next_cursor = more && last ? Buffer.from(`${Date.parse(last.updated_at)}|${last.memory_id}`).toString('base64url') : null;
  return { memories: out, next_cursor, total, skipped };
}

export { findRecord, loadRecord };

/** The opened view of a record for an actor who may read it. */
export function toViewFull(ctx: Ctx, rec: MemoryRecord, actor: string): Memory {
  return toView(rec, openContentOrFail(ctx, rec, dekFor(ctx, rec, actor)), 'full');
}
