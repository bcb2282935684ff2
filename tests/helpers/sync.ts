import type { SyncOptions } from '../../core/app/options';
import { internals } from '../../core/app/internals';
import { roleOf } from '../../core/spaces/spaces';
import { entriesAfter, entryToJson, spaceVector, type EntryJson } from '../../core/store/sync-log';
import { LinkControl, type FaultPlan } from './faulty-link';
import type { Frame } from '../../core/sync/frames';
import { openTestApp } from './app';

export type TestApp = Awaited<ReturnType<typeof openTestApp>> & { link: LinkControl };

/** A device's sync options as tests give them: the app's own, plus the test-only link hooks. */
export type DeviceOptions = Omit<SyncOptions, 'wrapLink'> & { faults?: FaultPlan; tamper?: (f: Frame) => Frame; tap?: (dir: 'in' | 'out', frame: Buffer) => void };

export async function waitFor<T>(what: string, fn: () => T | Promise<T>, timeoutMs = 20_000, everyMs = 50): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  let last: unknown = null;
  while (Date.now() < deadline) {
    try {
      const v = await fn();
      if (v) return v;
    } catch (e) { last = e; }
    await new Promise((r) => setTimeout(r, everyMs));
  }
  throw new Error(`timed out waiting for ${what}${last ? ': ' + String((last as Error).message ?? last) : ''}`);
}

/** A device: a fresh vault in a temp dir with sync started on loopback. */
export async function device(_name: string, opts: DeviceOptions = {}): Promise<TestApp> {
  const { faults, tamper, tap, ...sync } = opts;
  const link = new LinkControl({ faults, tamper, tap });
  const t = await openTestApp({ sync: { direct: { host: '127.0.0.1' }, helloMs: 300, ...sync, wrapLink: link.wrap } });
  await internals(t.app).startSync();
  return Object.assign(t, { link });
}

export const vectorOf = (t: TestApp, space: string) => spaceVector(t.app.ctx, space);

/** The entries of a space `from` holds and `to` does not, as a session sends them (for tests that hand frames to receiveEntries). */
export const lacking = (from: TestApp, to: TestApp, space: string): EntryJson[] => {
  const held = vectorOf(to, space);
  return entriesAfter(from.app.ctx, space, 0, 100_000).filter((e) => e.seq > (held[e.author_device] ?? 0)).map(entryToJson);
};

/**
 * `owner` creates the shared space `space` (slug family) and every one of `others` joins it as an
 * adult; returns once every device knows every member and holds the same log, with every session
 * paused, so a test applies what arrives by hand.
 */
export async function pausedFamily(owner: TestApp, others: TestApp[], space = 'shared:family'): Promise<void> {
  await owner.c('space.create', { kind: 'shared', name: 'Family', slug: space.split(':')[1] });
  for (const t of others) await t.c('space.join', { invite: (await owner.c('space.invite', { space_id: space, role: 'adult' })).invite });
  const all = [owner, ...others];
  const members = all.map((t) => t.app.ctx.keyring!.memberId);
  await waitFor('every device to know every member', () => all.every((t) => members.every((m) => roleOf(t.app.ctx, space, m))));
  await waitFor('equal vectors', () => others.every((t) => JSON.stringify(vectorOf(t, space)) === JSON.stringify(vectorOf(owner, space))));
  for (const t of all) t.app.sync!.pause();
}

/** What a member sees of a space: title and body of every memory, by id. */
export async function stateOf(t: TestApp, space: string, as?: string): Promise<Record<string, { title: string; body: string; band: string }>> {
  const out: Record<string, { title: string; body: string; band: string }> = {};
  const r = await t.c('memory.list', { space_id: space, limit: 500 }, as);
  for (const m of r.memories) out[m.memory_id] = { title: m.title, body: m.body, band: m.band };
  return out;
}

/** The code the offering device shows for a new device that connected to pair (from its handshake). */
export async function offeredCode(owner: TestApp, newDevice: string): Promise<string> {
  return waitFor('the offering side to show the code', async () => (await owner.c('sync.status', {})).offers?.find((o: any) => o.device_id === newDevice)?.code);
}

/** Pairs `fresh` as a second device of `owner`'s member, through the API (direct transport). */
export async function pair(owner: TestApp, fresh: TestApp): Promise<void> {
  const offer = await owner.c('device.pairOffer', {});
  const acc = await fresh.c('device.pairAccept', { invite: offer.invite });
  const newId = fresh.app.ctx.keyring!.deviceId;
  // both screens show the code of the same connection
  if (acc.code !== await offeredCode(owner, newId)) throw new Error('codes differ');
  await fresh.c('device.confirm', { device_id: acc.device_id });
  await waitFor('the offer to see the new device', () => owner.app.sync!.sessions.size > 0 && [...owner.app.sync!.sessions].some((s) => s.peerDevice === newId));
  await owner.c('device.confirm', { device_id: newId });
  await waitFor('adoption', () => fresh.app.ctx.keyring!.memberId === owner.app.ctx.keyring!.memberId);
}
