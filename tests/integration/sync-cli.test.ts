import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { call, cli, serve, type ServeHandle } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';
import { waitFor } from '../helpers/sync';

const CANARY = 'CANARY-7f3a9c-plaintext-must-not-travel';
const BLACK_CANARY = 'BLACKCANARY-55e1-stays-home';
// auto-reconnect off while the capturing relay is the only path between the two; on at the end
const ENV = { MEMORYOS_SYNC_HOST: '127.0.0.1', MEMORYOS_SYNC_HELLO_MS: '300', MEMORYOS_SYNC_AUTOCONNECT: '0' };

const list = (dir: string) => call(dir, 'memory.list', { space_id: 'personal:me', limit: 200 }).memories as any[];
const bodies = (dir: string) => Object.fromEntries(list(dir).filter((m) => m.band !== 'BLACK').map((m) => [m.memory_id, `${m.title}|${m.body}|${m.band}`]).sort());

describe('two `memoryos serve` processes paired through the CLI', () => {
  const a = tempDir('memoryos-sync-a-'); const b = tempDir('memoryos-sync-b-');
  const hosts: ServeHandle[] = [];
  let relay: ChildProcess | null = null;
  afterAll(async () => { relay?.kill(); for (const h of hosts) await h.stop(); a.cleanup(); b.cleanup(); });

  it('pair, converge both ways, merge concurrent offline edits, keep BLACK home, no plaintext on the wire', async () => {
    expect(cli(a.dir, ['init', '--name', 'Ana']).code).toBe(0);
    expect(cli(b.dir, ['init', '--name', 'Ana']).code).toBe(0);
    hosts.push(await serve(a.dir, ENV), await serve(b.dir, ENV));
    const lockA = JSON.parse(readFileSync(join(a.dir, 'host.lock'), 'utf8'));
    expect(lockA.sync_port).toBeGreaterThan(0);
    const captureFile = join(b.dir, 'wire.bin');
    relay = spawn(process.execPath, [join(__dirname, '..', 'helpers', 'capture-relay.cjs'), String(lockA.sync_port), captureFile], { stdio: ['ignore', 'pipe', 'inherit'] });
    const relayPort = await new Promise<number>((res) => relay!.stdout!.once('data', (d) => res(JSON.parse(String(d)).port)));
    const viaRelay = `127.0.0.1:${relayPort}`;

    const green = call(a.dir, 'memory.create', { space_id: 'personal:me', type: 'semantic', band: 'GREEN', title: 'Wifi', body: `password ${CANARY}` }).memory;
    const black = call(a.dir, 'memory.create', { space_id: 'personal:me', type: 'semantic', band: 'BLACK', title: 'diary', body: BLACK_CANARY }).memory;

    const offer = call(a.dir, 'device.pairOffer');
    expect(offer.code).toBeNull(); // the code comes from the pairing connection's handshake
    // the invite's address hints, pointed through a capturing relay (the network between the two)
    const inv = JSON.parse(Buffer.from(offer.invite.slice(5), 'base64url').toString('utf8'));
    inv.hints = [viaRelay];
    const invite = 'mos1.' + Buffer.from(JSON.stringify(inv)).toString('base64url');
    const acc = call(b.dir, 'device.pairAccept', { invite });
    expect(acc.code).toMatch(/^\d{3} \d{3}$/);
    // the offering screen shows the code of the same connection
    const offered = await waitFor('A to show the code', () => call(a.dir, 'sync.status').offers.find((o: any) => o.device_id === call(b.dir, 'vault.status').device_id)?.code, 20_000, 200);
    expect(acc.code).toBe(offered);
    const bDevice = call(b.dir, 'vault.status').device_id;
    const aDevice = call(a.dir, 'vault.status').device_id;
    expect(acc.device_id).toBe(aDevice);
    // each side confirms; the new device waits for the offering one, which trusts it once both have
    expect(call(b.dir, 'device.confirm', { device_id: aDevice }).status).toBe('waiting');
    expect(call(a.dir, 'device.confirm', { device_id: bDevice })).toMatchObject({ status: 'trusted' });

    await waitFor('B to show A\'s memory', () => list(b.dir).some((m) => m.memory_id === green.memory_id), 30_000, 250);
    expect(call(b.dir, 'vault.status').member_id).toBe(call(a.dir, 'vault.status').member_id);
    const fromB = call(b.dir, 'memory.create', { space_id: 'personal:me', type: 'episodic', band: 'AMBER', title: 'Dentist', body: `tuesday ${CANARY}` }).memory;
    await waitFor('A to show B\'s memory', () => list(a.dir).some((m) => m.memory_id === fromB.memory_id), 30_000, 250);
    await waitFor('same memories on both', () => JSON.stringify(bodies(a.dir)) === JSON.stringify(bodies(b.dir)), 30_000, 250);

    // concurrent edits to one body while disconnected, merged after reconnecting
    call(a.dir, 'sync.disconnect'); call(b.dir, 'sync.disconnect');
    call(a.dir, 'memory.update', { memory_id: green.memory_id, patch: { body: `EDIT-BY-A password ${CANARY}` } });
    call(b.dir, 'memory.update', { memory_id: green.memory_id, patch: { body: `password ${CANARY} EDIT-BY-B` } });
    expect(call(b.dir, 'sync.connect', { address: viaRelay }).device_id).toBe(aDevice);
    await waitFor('the merged body on both', () => {
      const x = call(a.dir, 'memory.get', { memory_id: green.memory_id }).memory.body;
      const y = call(b.dir, 'memory.get', { memory_id: green.memory_id }).memory.body;
      return x === y && x.includes('EDIT-BY-A') && x.includes('EDIT-BY-B') ? x : null;
    }, 30_000, 250);
    const st = await waitFor('verified up to date', () => {
      const s = call(b.dir, 'sync.status');
      const p = s.peers.find((x: any) => x.device_id === aDevice);
      return p?.connected && p.spaces.find((x: any) => x.space_id === 'personal:me')?.verified_up_to_date ? s : null;
    }, 30_000, 250);
    const vb = st.spaces.find((s: any) => s.space_id === 'personal:me').vector;
    const va = call(a.dir, 'sync.status').spaces.find((s: any) => s.space_id === 'personal:me').vector;
    expect(vb).toEqual(va);

    // BLACK stays on its device
    expect(list(b.dir).some((m) => m.memory_id === black.memory_id)).toBe(false);
    expect(call(a.dir, 'memory.get', { memory_id: black.memory_id }).memory.body).toBe(BLACK_CANARY);
    for (const f of readdirSync(b.dir).filter((f) => f.startsWith('memoryos.db'))) {
      const bytes = readFileSync(join(b.dir, f));
      expect(bytes.includes(black.memory_id)).toBe(false);
      expect(bytes.includes(CANARY)).toBe(false);
    }
    // the captured byte stream carries no plaintext
    const wire = readFileSync(captureFile);
    expect(wire.length).toBeGreaterThan(10_000);
    for (const needle of [CANARY, BLACK_CANARY, 'EDIT-BY-A', 'EDIT-BY-B', 'Dentist', 'Wifi', 'password']) expect(wire.includes(needle)).toBe(false);
    console.log(`captured ${wire.length} bytes between the two devices`);

    // a restarted host finds its peer again at the address the peer announced, and resumes from vectors
    await hosts[1].stop();
    const later = call(a.dir, 'memory.create', { space_id: 'personal:me', type: 'semantic', band: 'GREEN', title: 'while B was down', body: 'x' }).memory;
    hosts[1] = await serve(b.dir, { ...ENV, MEMORYOS_SYNC_AUTOCONNECT: '1' });
    await waitFor('B to catch up after its restart', () => list(b.dir).some((m) => m.memory_id === later.memory_id), 30_000, 250);
  });
});
