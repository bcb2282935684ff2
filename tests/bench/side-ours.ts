import type { App } from '../../core/app/app';
import { core } from './core-dist';
import { extraMemoryAt, memoryAt } from './corpus';
import { CorpusIds } from './corpus-ids';
import { BENCH_PASSPHRASE } from './options';
import { profileCreates, profileImports, profileUnlock } from './ours-profile';
import { measurePieces } from './pieces';
import type { Side, SideArgs } from './sides';
import { rssBytes } from './stats';

/** MemoryOS through its real router (the dist/ build), exactly as a door would call it. */
export class OursSide implements Side {
  private app!: App;
  private space = '';
  /** memory id → corpus position, for the top-20 comparison with the baseline */
  private ids = new CorpusIds();

  constructor(private readonly args: SideArgs) {}

  async setup(): Promise<void> {
    this.app = await core.app().openApp(this.options());
    const r = (await this.app.call('vault.create', { passphrase: BENCH_PASSPHRASE, name: 'Bench' })) as { personal_space_id: string };
    this.space = r.personal_space_id;
  }

  /** as a host runs it: with the scheduler's tick (due work, and the WAL checkpoint between calls), without sync */
  private options() { return { dataDir: this.args.dir, scheduler: { intervalMs: 1000 } }; }

  async importBatch(start: number, count: number): Promise<number> {
    const memories = Array.from({ length: count }, (_, k) => memoryAt(start + k, this.args.n));
    const t0 = performance.now();
    const r = (await this.app.call('memory.import', { space_id: this.space, memories })) as { memory_ids: string[] };
    const ms = performance.now() - t0;
    r.memory_ids.forEach((id, k) => this.ids.add(id, start + k));
    return ms;
  }

  async create(j: number): Promise<number> {
    const params = { space_id: this.space, ...extraMemoryAt(j, this.args.n) };
    const t0 = performance.now();
    const r = (await this.app.call('memory.create', params)) as { memory: { memory_id: string } };
    const ms = performance.now() - t0;
    this.ids.add(r.memory.memory_id, this.args.n + j);
    return ms;
  }

  async search(query: string): Promise<{ ms: number; hits: number; top: number[] }> {
    const t0 = performance.now();
    const r = (await this.app.call('memory.search', { query, limit: 20 })) as { hits: { memory_id: string }[] };
    const ms = performance.now() - t0;
    return { ms, hits: r.hits.length, top: r.hits.map((h) => this.ids.indexOf(h.memory_id)) };
  }

  async rss(): Promise<number> { return rssBytes(); }

  async reopen(query: string): Promise<{ total_ms: number; parts: Record<string, number> }> {
    await this.app.close();
    const t0 = performance.now();
    this.app = await core.app().openApp(this.options());
    const t1 = performance.now();
    await this.app.call('vault.unlock', { passphrase: BENCH_PASSPHRASE });
    const t2 = performance.now();
    await this.app.call('memory.search', { query, limit: 20 });
    const t3 = performance.now();
    // the app's own histogram of the index build (a fresh app: the sum is this unlock's)
    const index = Number(/^memoryos_unlock_index_seconds_sum (\S+)$/m.exec(core.internals().internals(this.app).ctx.metrics.render())?.[1] ?? NaN) * 1000;
    return {
      total_ms: t3 - t0,
      parts: { open_app_ms: t1 - t0, unlock_call_ms: t2 - t1, index_build_ms: index, first_search_ms: t3 - t2, argon2id_ms: measureArgon2() },
    };
  }

  async extras(): Promise<Record<string, unknown>> {
    if (!this.args.profile) return {};
    return {
      profile: {
        import: await profileImports(this.app, this.space, this.args),
        create: await profileCreates(this.app, this.space, this.args),
        unlock: await profileUnlock(this.app, BENCH_PASSPHRASE),
      },
      pieces: await measurePieces(this.app, this.args.dir),
    };
  }

  async close(): Promise<void> { await this.app.close(); }
}

/** Argon2id with the vault's own parameters (INTERACTIVE), median of three, to separate it from the rest of unlock. */
function measureArgon2(): number {
  const s = core.sodium();
  const ms: number[] = [];
  for (let i = 0; i < 3; i++) {
    const params = s.newKdfParams();
    const t0 = performance.now();
    s.passphraseKey(BENCH_PASSPHRASE, params);
    ms.push(performance.now() - t0);
  }
  return ms.sort((a, b) => a - b)[1]!;
}
