import { readFileSync } from 'node:fs';
import { connect } from 'node:net';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, callError, cli, serve, type ServeHandle } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';
import { decryptedPages, openVaultDb } from '../helpers/vault-db';

/**
 * Issue 8, the defects an outside review reproduced at the head it was filed against, each
 * through the CLI or the host: every test here failed there and holds now.
 */
const RED_TITLE = 'Tampered-RED-title-91c';
const RED_BODY = 'tampered red body 5b2e';

describe('issue 8: decisions from authenticated state, redaction last, roles at vault-level methods', () => {
  const { dir, cleanup } = tempDir('memoryos-trust-');
  let host: ServeHandle;
  let child = '', guest = '', redId = '', amberId = '', greenId = '';
  beforeAll(async () => {
    expect(cli(dir, ['init', '--name', 'Ana']).code).toBe(0);
    host = await serve(dir, { MEMORYOS_SYNC_HOST: '127.0.0.1', MEMORYOS_SYNC_AUTOCONNECT: '0' });
    call(dir, 'space.create', { kind: 'shared', name: 'Family', slug: 'family' });
    child = call(dir, 'member.create', { name: 'Leo' }).member.member_id;
    guest = call(dir, 'member.create', { name: 'Babysitter' }).member.member_id;
    call(dir, 'space.addMember', { space_id: 'shared:family', member_id: child, role: 'child' });
    call(dir, 'space.addMember', { space_id: 'shared:family', member_id: guest, role: 'guest' });
    redId = call(dir, 'memory.create', { space_id: 'shared:family', type: 'semantic', band: 'RED', title: RED_TITLE, body: RED_BODY }).memory.memory_id;
    amberId = call(dir, 'memory.create', {
      space_id: 'shared:family', type: 'semantic', band: 'AMBER', title: 'Pediatrician', body: 'call +1 555 867 5309 or mail dr.who@clinic.example',
      tags: ['dr.who@clinic.example'], people: ['+1 555 867 5309'], places: ['Clinic'],
    }).memory.memory_id;
    greenId = call(dir, 'memory.create', { space_id: 'shared:family', type: 'semantic', band: 'GREEN', title: 'Wifi', body: 'Garden network' }).memory.memory_id;
    call(dir, 'memory.create', { space_id: 'personal:me', type: 'semantic', band: 'GREEN', title: 'my own note', body: 'personal' });
  }, 120_000);
  afterAll(async () => { await host?.stop(); cleanup(); });

  it('1: a plaintext band column edited to GREEN does not open a RED memory to a guest; the column is refused as TAMPERED and audited', async () => {
    const db = openVaultDb(dir);
    try { db.prepare("UPDATE memories SET band = 'GREEN' WHERE memory_id = ?").run(redId); } finally { db.close(); }
    const asGuest = callError(dir, 'memory.get', { memory_id: redId }, { as: guest });
    expect(JSON.stringify(asGuest)).not.toContain(RED_BODY);
    expect(asGuest.error.code).toBe('TAMPERED');
    expect(asGuest.error.details).toMatchObject({ id: redId, fields: ['band'] });
    const hits = call(dir, 'memory.search', { query: 'tampered' }, { as: guest }).hits;
    expect(JSON.stringify(hits)).not.toContain(RED_BODY);
    expect(JSON.stringify(hits)).not.toContain(RED_TITLE);
    const listed = call(dir, 'memory.list', { space_id: 'shared:family' }, { as: guest });
    expect(JSON.stringify(listed)).not.toContain(RED_TITLE);
    // even the owner is refused rather than served what the column claims
    expect(callError(dir, 'memory.get', { memory_id: redId }).error.code).toBe('TAMPERED');
    const audit = call(dir, 'events.list', { topic: 'INTEGRITY_VIOLATION' }).events;
    expect(audit.some((e: any) => e.payload.id === redId && e.payload.kind === 'tampered' && e.obligations.includes('AUDIT_ACCESS'))).toBe(true);
    // put it back: the sealed metadata still says RED, and reads work again
    const db2 = openVaultDb(dir);
    try { db2.prepare("UPDATE memories SET band = 'RED' WHERE memory_id = ?").run(redId); } finally { db2.close(); }
    expect(call(dir, 'memory.get', { memory_id: redId }).memory.title).toBe(RED_TITLE);
    expect(callError(dir, 'memory.get', { memory_id: redId }, { as: guest }).error.code).toBe('FORBIDDEN');
  }, 60_000);

  it('2: AMBER redaction holds in snippets (brackets do not split a phone number), in tags, people and places, and in filters', async () => {
    for (const q of ['555 867 5309', '5309', 'clinic.example']) {
      const hits = call(dir, 'memory.search', { query: q }, { as: child }).hits;
      for (const h of hits) {
        expect(h.snippet).not.toMatch(/5309|867|clinic\.example|dr\.who/);
        expect(h.title).not.toMatch(/5309|clinic\.example/);
      }
    }
    const preview = call(dir, 'memory.list', { space_id: 'shared:family' }, { as: child }).memories.find((m: any) => m.memory_id === amberId);
    expect(preview.redacted).toBe(true);
    expect(JSON.stringify(preview)).not.toMatch(/5309|dr\.who@clinic/);
    // a filter never confirms a value the reader may not see
    expect(call(dir, 'memory.list', { space_id: 'shared:family', person: '+1 555 867 5309' }, { as: child }).memories).toEqual([]);
    expect(call(dir, 'memory.list', { space_id: 'shared:family', tag: 'dr.who@clinic.example' }, { as: child }).memories).toEqual([]);
    // the author still sees everything
    expect(call(dir, 'memory.list', { space_id: 'shared:family', person: '+1 555 867 5309' }).memories.map((m: any) => m.memory_id)).toEqual([amberId]);
  }, 60_000);

  it('3: a guest or a child cannot lock the vault for everyone, confirm the owner\'s pending device, revoke the owner\'s other devices or pair', async () => {
    // a second device of the owner, pending after its pairAccept
    const other = tempDir('memoryos-trust-b-');
    expect(cli(other.dir, ['init', '--name', 'Ana']).code).toBe(0);
    const hostB = await serve(other.dir, { MEMORYOS_SYNC_HOST: '127.0.0.1', MEMORYOS_SYNC_AUTOCONNECT: '0' });
    try {
      const offer = call(dir, 'device.pairOffer');
      const accepted = call(other.dir, 'device.pairAccept', { invite: offer.invite });
      const newDevice = call(other.dir, 'vault.status').device_id;
      expect(accepted.status).toBe('pending');
      for (const as of [guest, child]) {
        expect(callError(dir, 'device.confirm', { device_id: newDevice }, { as }).error.code).toBe('FORBIDDEN');
        expect(callError(dir, 'vault.lock', {}, { as }).error.code).toBe('FORBIDDEN');
        expect(callError(dir, 'device.pairOffer', {}, { as }).error.code).toBe('FORBIDDEN');
        expect(callError(dir, 'vault.changePassphrase', { old_passphrase: 'correct horse battery staple', new_passphrase: 'another long passphrase here' }, { as }).error.code).toBe('FORBIDDEN');
      }
      const pending = call(dir, 'sync.status').peers.find((p: any) => p.device_id === newDevice);
      expect(pending.status).toBe('pending');
      // the owner confirms on both devices: now it is one of the owner's devices, which no profile may revoke
      call(other.dir, 'device.confirm', { device_id: accepted.device_id });
      call(dir, 'device.confirm', { device_id: newDevice });
      for (const as of [guest, child]) expect(callError(dir, 'device.revoke', { device_id: newDevice }, { as }).error.code).toBe('FORBIDDEN');
      expect(call(dir, 'sync.status').peers.find((p: any) => p.device_id === newDevice).status).toBe('trusted');
      expect(call(dir, 'vault.status').unlocked).toBe(true);
    } finally { await hostB.stop(); other.cleanup(); }
  }, 90_000);

  it('4: events.list and audit.list show a guest only what a guest may see', () => {
    const events = call(dir, 'events.list', { limit: 1000 }, { as: guest }).events;
    expect(events.length).toBeGreaterThan(0);
    for (const e of events) {
      expect(e.space_id).not.toBe('personal:me');
      expect(['RED', 'BLACK', 'AMBER']).not.toContain(e.band);
      expect(JSON.stringify(e.payload)).not.toContain(redId);
    }
    const audit = call(dir, 'audit.list', { limit: 1000 }, { as: guest }).entries;
    for (const a of audit) expect(a.space_id).not.toBe('personal:me');
    // the owner still sees the whole log
    expect(call(dir, 'events.list', { limit: 1000 }).events.length).toBeGreaterThan(events.length);
  }, 60_000);

  it('5: one flipped byte in one row\'s sealed metadata makes that memory CORRUPT and nothing else unavailable', async () => {
    const db = openVaultDb(dir);
    try {
      const row = db.prepare('SELECT meta_ct FROM memories WHERE memory_id = ?').get(greenId) as { meta_ct: Buffer };
      row.meta_ct[10] ^= 0x01;
      db.prepare('UPDATE memories SET meta_ct = ? WHERE memory_id = ?').run(row.meta_ct, greenId);
    } finally { db.close(); }
    const list = call(dir, 'memory.list', { space_id: 'shared:family' });
    expect(list.memories.map((m: any) => m.memory_id)).toContain(amberId);
    expect(list.memories.map((m: any) => m.memory_id)).not.toContain(greenId);
    expect(list.skipped).toBe(1);
    expect(call(dir, 'memory.list', {}).memories.length).toBeGreaterThanOrEqual(3);
    const got = callError(dir, 'memory.get', { memory_id: greenId });
    expect(got.error.code).toBe('CORRUPT');
    expect(got.error.details.id).toBe(greenId);
    const health = call(dir, 'system.health');
    expect(JSON.stringify(health)).toContain(greenId);
  }, 60_000);
});

describe('issue 8: limits and timeouts', () => {
  const { dir, cleanup } = tempDir('memoryos-limits-');
  let host: ServeHandle;
  beforeAll(async () => {
    expect(cli(dir, ['init', '--name', 'Ana']).code).toBe(0);
    host = await serve(dir, { MEMORYOS_SYNC: '0', MEMORYOS_HOST_REQUEST_TIMEOUT_MS: '3000' });
  }, 60_000);
  afterAll(async () => { await host?.stop(); cleanup(); });

  it('params nested 100,000 deep are INVALID_INPUT, not INTERNAL', () => {
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const r = callError(dir, 'memory.list', `{"tag":${deep}}`, { raw: true });
    expect(r.error.code).toBe('INVALID_INPUT');
  });

  it('a request body sent one byte per 500 ms is cut off, not held for 300 s', async () => {
    const closedAfter = await new Promise<number>((resolve) => {
      const t0 = Date.now();
      const sock = connect(host.port, '127.0.0.1', () => {
        sock.write(`POST /api/call HTTP/1.1\r\nHost: 127.0.0.1:${host.port}\r\nAuthorization: Bearer ${host.token}\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n`);
        const timer = setInterval(() => { if (!sock.destroyed) sock.write('{'); }, 500);
        sock.on('close', () => { clearInterval(timer); resolve(Date.now() - t0); });
        sock.on('error', () => {});
      });
      setTimeout(() => { sock.destroy(); resolve(Number.POSITIVE_INFINITY); }, 20_000);
    });
    expect(closedAfter).toBeLessThan(10_000);
  }, 30_000);

  it('base_version 0 is refused; a passphrase of eight spaces is refused', () => {
    const m = call(dir, 'memory.create', { space_id: 'personal:me', type: 'semantic', band: 'GREEN', title: 'x', body: 'abc' }).memory;
    expect(callError(dir, 'memory.update', { memory_id: m.memory_id, base_version: 0, patch: { body: 'garbage' } }).error.code).toBe('INVALID_INPUT');
    expect(call(dir, 'memory.get', { memory_id: m.memory_id }).memory.body).toBe('abc');
    expect(callError(dir, 'vault.changePassphrase', { old_passphrase: 'correct horse battery staple', new_passphrase: '        ' }).error.code).toBe('INVALID_INPUT');
    const fresh = tempDir('memoryos-weak-');
    try {
      const r = cli(fresh.dir, ['init', '--name', 'Ana'], { MEMORYOS_PASSPHRASE: '        ' });
      expect(r.code).toBe(2);
      expect(r.json.error.code).toBe('INVALID_INPUT');
    } finally { fresh.cleanup(); }
  });

  it('15 wrong passphrases in a row meet a growing delay that survives a restart and shows in vault.status', async () => {
    await host.stop();
    const codes: string[] = [];
    for (let i = 0; i < 15; i++) {
      const r = cli(dir, ['call', 'vault.unlock', JSON.stringify({ passphrase: `wrong guess number ${i}` })]);
      codes.push(r.json?.error?.code);
    }
    expect(codes.slice(0, 4)).toEqual(['BAD_CREDENTIALS', 'BAD_CREDENTIALS', 'BAD_CREDENTIALS', 'BAD_CREDENTIALS']);
    expect(codes).toContain('RATE_LIMITED');
    let status = cli(dir, ['call', 'vault.status'], { MEMORYOS_PASSPHRASE: '' }).json;
    expect(status.unlock.failed_attempts).toBeGreaterThanOrEqual(5);
    // keep guessing (each failure doubles the wait) until a delay long enough to test against remains
    for (let i = 0; i < 30 && (!status.unlock.retry_at || Date.parse(status.unlock.retry_at) - Date.now() < 4000); i++) {
      cli(dir, ['call', 'vault.unlock', JSON.stringify({ passphrase: `one more wrong guess ${i}` })]);
      status = cli(dir, ['call', 'vault.status'], { MEMORYOS_PASSPHRASE: '' }).json;
      if (!status.unlock.retry_at) await new Promise((r) => setTimeout(r, 200));
    }
    expect(Date.parse(status.unlock.retry_at)).toBeGreaterThan(Date.now() + 2000);
    // even the right passphrase waits while the delay runs
    const right = cli(dir, ['call', 'vault.unlock', JSON.stringify({ passphrase: 'correct horse battery staple' })], { MEMORYOS_PASSPHRASE: '' });
    expect(right.json.error.code).toBe('RATE_LIMITED');
    expect(right.json.error.details.retry_at).toBe(status.unlock.retry_at);
  }, 120_000);
});

describe('issue 8: a shredded BLACK memory leaves nothing in the WAL', () => {
  const { dir, cleanup } = tempDir('memoryos-shred-');
  afterAll(cleanup);

  it('no 24-byte fragment of its key wrap, sealed metadata or ciphertext is in memoryos.db or memoryos.db-wal right after the shred', async () => {
    expect(cli(dir, ['init', '--name', 'Ana']).code).toBe(0);
    const host = await serve(dir, { MEMORYOS_SYNC: '0' });
    let fragments: Buffer[] = [];
    try {
      for (let i = 0; i < 3; i++) call(dir, 'memory.create', { space_id: 'personal:me', type: 'semantic', band: 'GREEN', title: `keep ${i}`, body: 'x'.repeat(500) });
      const black = call(dir, 'memory.create', { space_id: 'personal:me', type: 'semantic', band: 'BLACK', title: 'diary', body: 'b'.repeat(2000) }).memory;
      const db = openVaultDb(dir, { readonly: true });
      const blobs: Buffer[] = [];
      try {
        const r = db.prepare('SELECT meta_ct, ciphertext, state_ct FROM memories WHERE memory_id = ?').get(black.memory_id) as Record<string, Buffer>;
        blobs.push(r.meta_ct, r.ciphertext, r.state_ct);
        for (const e of db.prepare('SELECT ciphertext FROM local_log WHERE doc_id LIKE ?').all(`${black.memory_id}%`) as { ciphertext: Buffer }[]) blobs.push(e.ciphertext);
      } finally { db.close(); }
      call(dir, 'memory.delete', { memory_id: black.memory_id, confirm: true });
      fragments = blobs.flatMap((b) => Array.from({ length: Math.floor(b.length / 24) }, (_, i) => b.subarray(i * 24, i * 24 + 24)));
      expect(fragments.length).toBeGreaterThan(50);
      for (const f of ['memoryos.db', 'memoryos.db-wal']) {
        let bytes: Buffer;
        try { bytes = readFileSync(join(dir, f)); } catch { continue; }
        const found = fragments.filter((frag) => bytes.includes(frag)).length;
        expect(found, f).toBe(0);
      }
    } finally { await host.stop(); }
    // the pages are encrypted at rest: read them decrypted too, free pages included. After the
    // host has closed: its scheduler may merge the index between calls right after the shred,
    // which writes the WAL again (pages of other memories), and a copy needs an empty WAL
    const plain = decryptedPages(dir);
    expect(fragments.filter((frag) => plain.includes(frag)).length, 'decrypted pages of memoryos.db').toBe(0);
  }, 60_000);
});
