import canonicalize from 'canonicalize';
import sodium from 'libsodium-wrappers-sumo';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, callError, cli } from '../helpers/cli';
import { validateEnvelope } from '../helpers/contracts';
import { tempDir } from '../helpers/tmp';
import { openVaultDb } from '../helpers/vault-db';

// Acceptance: every envelope validates and its Ed25519 signature verifies with the device key
// from device.list; altering one audit row makes audit.verify name it.
describe('signed events and the audit chain', () => {
  const { dir, cleanup } = tempDir();
  beforeAll(async () => {
    await sodium.ready;
    expect(cli(dir, ['init', '--name', 'Ana']).code).toBe(0);
    call(dir, 'space.create', { kind: 'shared', name: 'Family' });
    const amber = call(dir, 'memory.create', { space_id: 'shared:family', type: 'semantic', band: 'AMBER', title: 'Allergy', body: 'peanuts' });
    call(dir, 'memory.create', { space_id: 'shared:family', type: 'episodic', band: 'GREEN', title: 'Picnic' });
    call(dir, 'memory.get', { memory_id: amber.memory.memory_id });
    call(dir, 'settings.set', { settings: { undo_window_seconds: 120 } });
    call(dir, 'memory.delete', { memory_id: amber.memory.memory_id });
  });
  afterAll(cleanup);

  it('every envelope validates against the envelope and payload schemas and verifies with the device key', () => {
    const events = call(dir, 'events.list', { limit: 5000 }).events;
    const devices = call(dir, 'device.list').devices;
    const keys = new Map<string, Uint8Array>(devices.map((d: any) => [d.device_id, sodium.from_base64(d.ed25519_public_key, sodium.base64_variants.ORIGINAL)]));
    expect(events.length).toBeGreaterThan(10);
    const topics = new Set(events.map((e: any) => e.topic.split('@')[0]));
    for (const t of ['HIPPO_ENCODE', 'RECALL_REQUEST', 'UNDO_WINDOW_OPENED', 'SETTINGS_CHANGED', 'SPACE_CREATED', 'USER_ROLE_ASSIGNED']) expect(topics).toContain(t);
    for (const env of events) {
      expect(validateEnvelope(env)).toBeNull();
      expect(env.trace_id).toMatch(/^[0-9a-f]{32}$/); // the API call's trace id travels in the envelope
      const { signature, ...unsigned } = env;
      const bytes = canonicalize(unsigned)!; // an independent RFC 8785 implementation
      const sig = sodium.from_base64(signature.signature, sodium.base64_variants.ORIGINAL);
      expect(sodium.crypto_sign_verify_detached(sig, bytes, keys.get(signature.key_id)!)).toBe(true);
      // and a changed envelope does not verify
      expect(sodium.crypto_sign_verify_detached(sig, canonicalize({ ...unsigned, ts: '2000-01-01T00:00:00.000Z' })!, keys.get(signature.key_id)!)).toBe(false);
    }
  });

  it('chains AUDIT_ACCESS events and verifies the chain', () => {
    const entries = call(dir, 'audit.list').entries;
    expect(entries.length).toBeGreaterThan(3);
    entries.forEach((e: any, i: number) => expect(e.prev_event_id).toBe(i === 0 ? null : entries[i - 1].event_id));
    const verdict = call(dir, 'audit.verify');
    expect(verdict.valid).toBe(true);
    expect(verdict.first_broken).toBeNull();
    expect(verdict.checked).toBeGreaterThanOrEqual(entries.length); // this call's own unlock is audited too
  });

  it('names the altered row when one audit row is edited in the database', () => {
    const entries = call(dir, 'audit.list').entries;
    const victim = entries[Math.floor(entries.length / 2)];
    const db = openVaultDb(dir);
    const row = db.prepare('SELECT envelope FROM audit_chain WHERE seq = ?').get(victim.seq) as { envelope: string };
    const env = JSON.parse(row.envelope);
    env.ts = '2001-01-01T00:00:00.000Z';
    db.prepare('UPDATE audit_chain SET envelope = ? WHERE seq = ?').run(JSON.stringify(env), victim.seq);
    db.close();
    const verdict = call(dir, 'audit.verify');
    expect(verdict.valid).toBe(false);
    expect(verdict.first_broken.seq).toBe(victim.seq);
    expect(verdict.first_broken.event_id).toBe(victim.event_id);
    expect(verdict.checked).toBe(victim.seq - 1);
  });

  it('names a removed row by the link that no longer holds', () => {
    const db = openVaultDb(dir);
    db.prepare('UPDATE audit_chain SET envelope = (SELECT envelope FROM events WHERE events.id = audit_chain.event_id)').run(); // undo the edit
    const last = db.prepare('SELECT MAX(seq) AS s FROM audit_chain').get() as { s: number };
    db.prepare('DELETE FROM audit_chain WHERE seq = ?').run(last.s - 1);
    db.close();
    const verdict = call(dir, 'audit.verify');
    expect(verdict.valid).toBe(false);
    expect(verdict.first_broken.seq).toBe(last.s);
    expect(callError(dir, 'audit.verify', { extra: 1 }).code).toBe(2);
  });
});
