import type { Band, Device, ExportMemoryRecord, Space } from '../../contracts/types';
import { keys, type Ctx } from '../context/ctx';
import { b64 } from '../crypto/sodium';
import { exportFilesOf } from '../attachments/export-files';
import { dekFor } from '../memories/memories';
import { isRecordProblem } from '../memories/integrity';
import { openContentOrFail, recordFromRow, type MemoryRecord } from '../memories/read-model';
import { toView } from '../memories/view';
import { findMember } from '../members/members';
import { devicesOfMember, trustedDevicesOf } from '../members/devices';
import { getSettings } from '../settings/settings';
import { listSpaces } from '../spaces/spaces';
import { iso } from '../shared/time';
import { auditChainTable } from '../store/tables/audit-chain';
import { attachmentsTable } from '../store/tables/attachments';
import { memoriesTable } from '../store/tables/memories';
import { pendingActionsTable } from '../store/tables/pending-actions';

/**
 * What a person's export holds (GDPR Art. 15/20), gathered from authenticated data only: the
 * memories they wrote (Art. 15(4): what others wrote is counted, never copied), the spaces they
 * are in and who those sync to, the names they see, their devices, their settings and consents,
 * and their own audit entries. Memories are yielded one at a time, so 100k of them never sit in
 * memory together.
 */

const PAGE = 256;

/**
 * Rows a page at a time: the export yields between rows (and awaits the archive), and an
 * open SQLite cursor would keep the connection busy for every other call meanwhile.
 */
function* pages<R, K>(page: (after: K) => R[], key: (r: R) => K, start: K): Generator<{ rows: R[]; after: K }> {
  let after = start;
  for (;;) {
    const rows = page(after);
    if (rows.length) yield { rows, after };
    if (rows.length < PAGE) return;
    after = key(rows[rows.length - 1]!);
  }
}

function* rowsOf<R, K>(page: (after: K) => R[], key: (r: R) => K, start: K): Generator<R> {
  for (const p of pages(page, key, start)) yield* p.rows;
}

export interface ExportOptions { subject: string; includeBlack: boolean }

export type ExportedMemory = ExportMemoryRecord;

/** Per space, what the export copied and what it only counted. */
export interface SpaceTally {
  space_id: string; name: string;
  exported: number;
  /** memories written by other people: not copied (Art. 15(4)) */
  by_others: number;
  /** of those, RED memories other people addressed to the subject */
  red_addressed_to_subject: number;
  /** the subject's BLACK memories on this device, left out without include_black */
  black_left_out: number;
  /** records that failed authentication (named in system.health) */
  damaged: number;
}

export interface ExportTally {
  spaces: Map<string, SpaceTally>; by_band: Record<Band, number>; exported: number; attachments: number;
  /** files of exported memories whose chunks have not arrived from another device yet: listed nowhere, counted here */
  attachments_not_here: number;
}

export const newTally = (): ExportTally => ({ spaces: new Map(), by_band: { GREEN: 0, AMBER: 0, RED: 0, BLACK: 0 }, exported: 0, attachments: 0, attachments_not_here: 0 });

/** How many rows the walk will visit: the job's progress total. */
export const memoryRowCount = (ctx: Ctx): number => memoriesTable.count(ctx.db);

/**
 * Walks every memory row once. A memory goes into the export when its authenticated author is
 * the subject and the subject may read it here: RED always (the author reads their own), BLACK
 * only on its origin device and only with include_black (the caller has re-authenticated).
 * Everything else is tallied per space. A damaged record is tallied and skipped.
 */
export function* subjectMemories(ctx: Ctx, opts: ExportOptions, spaceNames: Map<string, string>, tally: ExportTally): Generator<ExportedMemory | null> {
  const me = keys(ctx).deviceId;
  const names = new Map<string, string | null>();
  const nameOf = (id: string) => {
    if (!names.has(id)) names.set(id, findMember(ctx, id)?.name ?? null);
    return names.get(id)!;
  };
  for (const { rows, after } of pages((a) => memoriesTable.pageAfter(ctx.db, a, PAGE), (r) => r.memory_id, '')) {
    const withFiles = attachmentsTable.memoriesWithFilesIn(ctx.db, after, rows[rows.length - 1]!.memory_id);
    for (const row of rows) {
      const t = tallyFor(tally, row.space_id, spaceNames);
      if (!t) { yield null; continue; } // a space the subject is not in
      let rec: MemoryRecord;
      try { rec = recordFromRow(ctx, row); } catch (e) { if (isRecordProblem(e)) { t.damaged++; yield null; continue; } throw e; }
      if (rec.author !== opts.subject) {
        t.by_others++;
        if (rec.band === 'RED' && (rec.meta.recipients ?? []).includes(opts.subject)) t.red_addressed_to_subject++;
        yield null;
        continue;
      }
      if (rec.band === 'BLACK' && (rec.origin_device !== me || !opts.includeBlack)) { if (rec.origin_device === me) t.black_left_out++; yield null; continue; }
      let view;
      let attachments: ExportMemoryRecord['attachments'];
      try {
        const dek = dekFor(ctx, rec, opts.subject, false); // read once: not kept in the DEK cache
        view = toView(rec, openContentOrFail(ctx, rec, dek), 'full');
        // the files' records (their bytes are streamed by the writer, attachments/<memory_id>/…);
        // most memories have none, and the page's one query says which do
        attachments = [];
        if (withFiles.has(rec.memory_id)) {
          attachments = exportFilesOf(ctx, rec, dek).map((f) => f.record);
          tally.attachments_not_here += attachmentsTable.countOfMemory(ctx.db, rec.memory_id) - attachments.length;
        }
      } catch (e) {
        if (isRecordProblem(e)) { t.damaged++; yield null; continue; }
        throw e;
      }
      t.exported++;
      tally.exported++;
      tally.by_band[rec.band]++;
      tally.attachments += attachments.length;
      yield {
        memory_id: view.memory_id, space_id: view.space_id, space_name: t.name, type: view.type, band: view.band,
        title: view.title, body: view.body, tags: view.tags, people: view.people, places: view.places,
        occurred_at: view.occurred_at, expires_at: view.expires_at,
        author: { member_id: rec.author, name: nameOf(rec.author) }, origin_device: view.origin_device,
        created_at: view.created_at, updated_at: view.updated_at, deleted_at: view.deleted_at, version: view.version,
        recipients: view.recipients, attachments,
      };
    }
  }
}

function tallyFor(tally: ExportTally, space: string, names: Map<string, string>): SpaceTally | null {
  let t = tally.spaces.get(space);
  if (!t) {
    const name = names.get(space);
    if (name === undefined) return null;
    t = { space_id: space, name, exported: 0, by_others: 0, red_addressed_to_subject: 0, black_left_out: 0, damaged: 0 };
    tally.spaces.set(space, t);
  }
  return t;
}

export interface SpaceExport {
  space_id: string; kind: Space['kind']; name: string; role: Space['my_role']; created_at: string;
  /** who this space's memories go to: its members and the devices of theirs this device knows */
  members: { member_id: string; name: string; role: string }[];
  devices: { device_id: string; member_id: string; platform: string; status: string }[];
}

/** The spaces the subject is in, each with the members and devices it syncs to (the recipients, Art. 15(1)(c)). */
export function subjectSpaces(ctx: Ctx, subject: string): SpaceExport[] {
  return listSpaces(ctx, subject).map((s) => ({
    space_id: s.space_id, kind: s.kind, name: s.name, role: s.my_role, created_at: s.created_at,
    members: s.members.map((m) => ({ member_id: m.member_id, name: m.name, role: m.role })),
    devices: trustedDevicesOf(ctx, s.members.map((m) => m.member_id)).map((d) => ({
      device_id: d.device_id, member_id: d.member_id, platform: d.platform, status: d.status,
    })),
  }));
}

/** The subject and the names they see: everyone who shares a space with them, once. */
export function subjectMembers(ctx: Ctx, subject: string, spaces: SpaceExport[]): { member_id: string; name: string; is_subject: boolean; spaces: { space_id: string; role: string }[] }[] {
  const out = new Map<string, { member_id: string; name: string; is_subject: boolean; spaces: { space_id: string; role: string }[] }>();
  const me = findMember(ctx, subject);
  if (me) out.set(subject, { member_id: subject, name: me.name, is_subject: true, spaces: [] });
  for (const s of spaces) {
    for (const m of s.members) {
      let e = out.get(m.member_id);
      if (!e) out.set(m.member_id, (e = { member_id: m.member_id, name: m.name, is_subject: m.member_id === subject, spaces: [] }));
      e.spaces.push({ space_id: s.space_id, role: m.role });
    }
  }
  return [...out.values()];
}

/** The subject's devices, with the public keys a reader checks the signature against. */
export function subjectDevices(ctx: Ctx, subject: string): (Device & { status: string })[] {
  return devicesOfMember(ctx, subject).map((d) => ({
    device_id: d.device_id, member_id: d.member_id, platform: d.platform,
    ed25519_public_key: b64(d.ed25519_pub), x25519_public_key: b64(d.x25519_pub),
    this_device: d.local === 1, created_at: iso(d.created_at), status: d.status,
  }));
}

/** Settings in force, and the consents the subject gave (a share up the space hierarchy needs one). */
export function subjectSettings(ctx: Ctx, subject: string): { settings: Record<string, unknown>; consents: { kind: string; given_at: string; memory_id: string | null; from_space_id: string; to_space_id: string; status: string }[] } {
  const consents = pendingActionsTable.visibleTo(ctx.db, subject, [], true)
    .filter((a) => a.actor === subject && a.kind === 'share')
    .flatMap((a) => {
      const args = JSON.parse(a.args) as { target_space_id?: string; consent?: boolean };
      return args.consent ? [{ kind: 'share_up_the_hierarchy', given_at: iso(a.created_at), memory_id: a.memory_id, from_space_id: a.space_id, to_space_id: args.target_space_id ?? '', status: a.status }] : [];
    });
  return { settings: { ...getSettings(ctx) }, consents };
}

/** The subject's own audit entries (what they did that was audited), ids and metadata only. */
export function* subjectAudit(ctx: Ctx, subject: string): Generator<Record<string, unknown>> {
  for (const row of rowsOf((after) => auditChainTable.page(ctx.db, after, PAGE), (r) => r.seq, 0)) {
    let env: { actor?: { member_id?: string }; [k: string]: unknown };
    try { env = JSON.parse(row.envelope) as typeof env; } catch { continue; }
    if (env.actor?.member_id !== subject) continue;
    yield { seq: row.seq, event_id: row.event_id, topic: env.topic, ts: env.ts, space_id: env.space_id ?? null, band: env.band ?? null, payload: env.payload ?? null };
  }
}
