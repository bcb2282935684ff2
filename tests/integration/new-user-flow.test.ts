import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, callError, cli } from '../helpers/cli';
import { assertResponse } from '../helpers/contracts';
import { tempDir } from '../helpers/tmp';

// Acceptance: tried as a new user would, entirely through `memoryos call`, every answer valid against the contracts.
describe('a new user, through the CLI', () => {
  const { dir, cleanup } = tempDir();
  const c = (method: string, params: unknown = {}) => { const r = call(dir, method, params); assertResponse(method, r); return r; };
  let family = '';
  const ids: Record<string, string> = {};

  beforeAll(() => {
    const init = cli(dir, ['init', '--name', 'Ana']);
    expect(init.code).toBe(0);
    assertResponse('vault.create', init.json);
    expect(init.json.recovery_key).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{1,4})+$/);
  });
  afterAll(cleanup);

  it('creates a shared space', () => {
    const r = c('space.create', { kind: 'shared', name: 'Family' });
    family = r.space.space_id;
    expect(family).toBe('shared:family');
    expect(r.space.my_role).toBe('guardian');
    expect(c('space.list').spaces.map((s: any) => s.space_id)).toEqual(['personal:me', 'shared:family']);
  });

  it('adds memories of every band and type', () => {
    const types = ['episodic', 'semantic', 'procedural', 'working'];
    for (const [i, band] of ['GREEN', 'AMBER', 'RED', 'BLACK'].entries()) {
      const r = c('memory.create', {
        space_id: band === 'BLACK' ? 'personal:me' : family, type: types[i], band,
        title: `${band} note about tulips`, body: `The ${band.toLowerCase()} body mentions tulips and ana@example.com`,
        tags: ['garden'], people: ['Ana'], places: ['Home'],
      });
      expect(r.memory.band).toBe(band);
      expect(r.memory.type).toBe(types[i]);
      expect(r.decision.effect).toBe('ALLOW');
      ids[band] = r.memory.memory_id;
    }
    const working = c('memory.get', { memory_id: ids.BLACK });
    expect(working.memory.expires_at).not.toBeNull(); // working memories expire
    expect(c('memory.list', { space_id: family }).total).toBe(3);
    expect(c('memory.list', { band: 'AMBER' }).memories.map((m: any) => m.memory_id)).toEqual([ids.AMBER]);
    expect(c('memory.list', { tag: 'garden' }).total).toBe(4);
  });

  it('searches them, ranked, with snippets', () => {
    const r = c('memory.search', { query: 'tulips' });
    expect(r.hits.length).toBe(4);
    expect(r.hits.every((h: any) => h.highlights.snippet.some((x: any) => h.snippet.slice(x.start, x.end).toLowerCase() === 'tulips'))).toBe(true);
    expect(c('memory.search', { query: 'tulips', band: 'RED' }).hits.map((h: any) => h.memory_id)).toEqual([ids.RED]);
    expect(c('memory.search', { query: 'nothing-like-this' }).hits).toEqual([]);
  });

  it('updates one', () => {
    const r = c('memory.update', { memory_id: ids.GREEN, base_version: 1, patch: { body: 'Tulips bloom in April.', tags: ['garden', 'spring'] } });
    expect(r.memory.version).toBe(2);
    expect(c('memory.get', { memory_id: ids.GREEN }).memory.body).toBe('Tulips bloom in April.');
    expect(c('memory.search', { query: 'april' }).hits.map((h: any) => h.memory_id)).toEqual([ids.GREEN]);
  });

  it('shares an AMBER memory into another space, sees it in undo.list, undoes it', () => {
    c('space.create', { kind: 'extended', name: 'Cousins' });
    const denied = callError(dir, 'memory.share', { memory_id: ids.AMBER, target_space_id: 'extended:cousins' });
    expect(denied.code).toBe(2);
    expect(denied.error.code).toBe('FORBIDDEN');
    expect(denied.error.details.reasons.map((r: any) => r.code)).toContain('CONSENT_REQUIRED');
    const preview = c('memory.share', { memory_id: ids.AMBER, target_space_id: 'extended:cousins', dry_run: true });
    expect(preview).toMatchObject({ status: 'preview', pending: null, decision: { effect: 'DENY' } });
    expect(preview.decision.reasons.map((r: any) => r.code)).toEqual(['CONSENT_REQUIRED']);
    expect(c('memory.share', { memory_id: ids.AMBER, target_space_id: 'extended:cousins', dry_run: true, consent: true }).decision.effect).toBe('ALLOW');
    expect(c('undo.list').actions).toHaveLength(0); // a dry run stages nothing
    const shared = c('memory.share', { memory_id: ids.AMBER, target_space_id: 'extended:cousins', consent: true });
    expect(shared.status).toBe('staged');
    expect(shared.decision.obligations).toContain('UNDO_WINDOW:PT15M');
    const pending = c('undo.list').actions;
    expect(pending).toHaveLength(1);
    expect(pending[0].seconds_left).toBeGreaterThan(800);
    expect(pending[0].target_space_id).toBe('extended:cousins');
    const undone = c('undo.apply', { action_id: pending[0].action_id });
    expect(undone.action.status).toBe('undone');
    expect(c('undo.list').actions).toHaveLength(0);
    expect(c('memory.list', { space_id: 'extended:cousins' }).total).toBe(0);
  });

  it('shares a GREEN memory at once', () => {
    const r = c('memory.share', { memory_id: ids.GREEN, target_space_id: 'extended:cousins' });
    expect(r.status).toBe('shared');
    expect(c('memory.get', { memory_id: r.memory_id }).memory.body).toBe('Tulips bloom in April.');
  });

  it('refuses to share RED and BLACK', () => {
    for (const band of ['RED', 'BLACK']) {
      const e = callError(dir, 'memory.share', { memory_id: ids[band], target_space_id: 'extended:cousins' });
      expect(e.code).toBe(2);
      expect(e.error.code).toBe('FORBIDDEN');
      expect(e.error.details.reasons.map((r: any) => r.code)).toContain('BAND_BLOCKS_SHARE');
    }
  });

  it('deletes and restores one', () => {
    const d = c('memory.delete', { memory_id: ids.GREEN });
    expect(d.status).toBe('trashed');
    expect(c('memory.list', { space_id: family }).memories.map((m: any) => m.memory_id)).not.toContain(ids.GREEN);
    expect(c('memory.list', { trash: true }).memories.map((m: any) => m.memory_id)).toEqual([ids.GREEN]);
    expect(c('memory.search', { query: 'april', space_id: family }).hits).toEqual([]);
    const r = c('memory.restore', { memory_id: ids.GREEN });
    expect(r.memory.deleted_at).toBeNull();
    expect(c('memory.search', { query: 'april', space_id: family }).hits.map((h: any) => h.memory_id)).toEqual([ids.GREEN]);
  });

  it('stages an AMBER deletion and shreds a BLACK memory only with confirmation', () => {
    expect(c('memory.delete', { memory_id: ids.AMBER }).status).toBe('staged');
    const noConfirm = callError(dir, 'memory.delete', { memory_id: ids.BLACK });
    expect(noConfirm.error.details.reasons.map((r: any) => r.code)).toContain('CONFIRM_REQUIRED');
    expect(c('memory.delete', { memory_id: ids.BLACK, confirm: true }).status).toBe('shredded');
    expect(callError(dir, 'memory.get', { memory_id: ids.BLACK }).error.code).toBe('NOT_FOUND');
  });

  it('answers the system methods', () => {
    const h = c('system.health');
    expect(h.status).toBe('ok');
    expect(h.components.map((x: any) => x.id)).toEqual(expect.arrayContaining(['store', 'crypto', 'vault', 'api', 'scheduler']));
    expect(c('system.components').components.every((x: any) => x.booted)).toBe(true);
    expect(c('system.metrics').text).toMatch(/memoryos_api_calls_total/);
    expect(c('settings.get').settings.undo_window_seconds).toBe(900);
  });
});
