import { spaceVector } from '../../core/store/sync-log';
import { startSync, type StartSyncOptions } from '../../core/sync/start';
import { openTestApp } from './app';

export type TestApp = Awaited<ReturnType<typeof openTestApp>>;

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
export async function device(name: string, opts: StartSyncOptions = {}): Promise<TestApp> {
  const t = await openTestApp();
  if (name !== 'Ana') await t.app.ctx.db.prepare('SELECT 1').get();
  await startSync(t.app.ctx, { helloMs: 300, ...opts });
  return t;
}

export const vectorOf = (t: TestApp, space: string) => spaceVector(t.app.ctx, space);

/** What a member sees of a space: title and body of every memory, by id. */
export async function stateOf(t: TestApp, space: string, as?: string): Promise<Record<string, { title: string; body: string; band: string }>> {
  const out: Record<string, { title: string; body: string; band: string }> = {};
  const r = await t.c('memory.list', { space_id: space, limit: 500 }, as);
  for (const m of r.memories) out[m.memory_id] = { title: m.title, body: m.body, band: m.band };
  return out;
}

/** Pairs `fresh` as a second device of `owner`'s member, through the API (direct transport). */
export async function pair(owner: TestApp, fresh: TestApp): Promise<void> {
  const offer = await owner.c('device.pairOffer', {});
  const acc = await fresh.c('device.pairAccept', { invite: offer.invite });
  if (acc.code !== offer.code) throw new Error('codes differ');
  const newId = fresh.app.ctx.keyring!.deviceId;
  await fresh.c('device.confirm', { device_id: acc.device_id });
  await waitFor('the offer to see the new device', () => owner.app.ctx.sync!.sessions.size > 0 && [...owner.app.ctx.sync!.sessions].some((s) => s.peerDevice === newId));
  await owner.c('device.confirm', { device_id: newId });
  await waitFor('adoption', () => fresh.app.ctx.keyring!.memberId === owner.app.ctx.keyring!.memberId);
}
