import { describe, expect, it } from 'vitest';
import { Registry } from '../../core/registry/registry';
import { EventBus } from '../../core/events/bus';
import { canonicalJson } from '../../core/shared/json';
import { formatRecoveryKey, parseRecoveryKey } from '../../core/vault/recovery-key';
import { redactPii } from '../../core/policy/redaction';
import { toFtsQuery } from '../../core/store/search-index';
import { ulid } from '../../core/shared/ulid';
import { resolveInside } from '../../core/host/static-files';

describe('component registry', () => {
  const m = (id: string, layer: 0 | 1 | 2, dependencies: string[] = [], health = () => ({ status: 'ok' as const })) => ({ id, layer, dependencies, health });
  it('boots in dependency order', async () => {
    const r = new Registry();
    const started: string[] = [];
    for (const x of [m('api', 2, ['memories']), m('memories', 1, ['store']), m('store', 0)]) r.register({ ...x, start: () => { started.push(x.id); } });
    await r.boot();
    expect(started).toEqual(['store', 'memories', 'api']);
    expect(r.components().every((c) => c.booted)).toBe(true);
  });
  it('fails loudly on a missing dependency, a cycle, an upward dependency or a failing start', async () => {
    const missing = new Registry(); missing.register(m('a', 1, ['nope']));
    await expect(missing.boot()).rejects.toThrow(/unknown component nope/);
    const cycle = new Registry(); cycle.register(m('a', 1, ['b'])); cycle.register(m('b', 1, ['a']));
    await expect(cycle.boot()).rejects.toThrow(/cycle/);
    const upward = new Registry(); upward.register(m('low', 0, ['high'])); upward.register(m('high', 2));
    await expect(upward.boot()).rejects.toThrow(/layer/);
    const failing = new Registry(); failing.register({ ...m('x', 0), start: () => { throw new Error('disk full'); } });
    await expect(failing.boot()).rejects.toThrow(/boot failed at component x: disk full/);
  });
  it('bounds health with one global timeout', async () => {
    const r = new Registry();
    r.register(m('fast', 0));
    r.register({ ...m('slow', 1), health: () => new Promise(() => {}) });
    r.register({ ...m('broken', 1), health: () => { throw new Error('boom'); } });
    await r.boot();
    const h = await r.health(100);
    expect(h.elapsed_ms).toBeLessThan(1000);
    expect(h.components.map((c) => c.status)).toEqual(['ok', 'timeout', 'down']);
    expect(h.status).toBe('degraded');
  });
});

describe('event bus', () => {
  it('isolates and counts a throwing subscriber', () => {
    const failures: string[] = [];
    const bus = new EventBus((_e, topic) => failures.push(topic));
    const got: string[] = [];
    bus.subscribe('*', () => { throw new Error('bad subscriber'); });
    bus.subscribe('HIPPO_ENCODE', (e) => { got.push(e.id); });
    bus.subscribe('OTHER', () => { got.push('wrong'); });
    bus.deliver({ id: 'x', topic: 'HIPPO_ENCODE@1.0' } as never);
    expect(got).toEqual(['x']);
    expect(bus.failures).toBe(1);
    expect(failures).toEqual(['HIPPO_ENCODE']);
  });
});

describe('small pieces', () => {
  it('canonical JSON follows RFC 8785', () => {
    expect(canonicalJson({ b: [1, 'x', null, true], a: { d: 1e21, c: 0.1 }, '\u00e9': 2, A: -0 })).toBe('{"A":0,"a":{"c":0.1,"d":1e+21},"b":[1,"x",null,true],"é":2}');
  });
  it('recovery keys round-trip and tolerate case, dashes and look-alikes', () => {
    const bytes = new Uint8Array(32).map((_, i) => (i * 37 + 11) & 255);
    const text = formatRecoveryKey(bytes);
    expect(parseRecoveryKey(text)).toEqual(bytes);
    expect(parseRecoveryKey(text.toLowerCase().replace(/-/g, ' '))).toEqual(bytes);
    expect(() => parseRecoveryKey('short')).toThrow(/malformed/);
  });
  it('redacts e-mail addresses and phone numbers', () => {
    expect(redactPii('mail ana.b@example.org or +1 (555) 123-4567, room 12')).toBe('mail [email] or [phone], room 12');
  });
  it('turns typed text into a safe prefix query', () => {
    expect(toFtsQuery('wifi "pass* OR NEAR(')).toBe('"wifi"* "pass"* "OR"* "NEAR"*');
    expect(toFtsQuery('  *** ')).toBeNull();
  });
  it('ULIDs sort by creation even within one millisecond', () => {
    const ids = Array.from({ length: 1000 }, () => ulid(1_700_000_000_000));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(1000);
  });
  it('static files never escape their root', () => {
    expect(resolveInside('/srv/app', '/index.html')).toBe('/srv/app/index.html');
    expect(resolveInside('/srv/app', '/../etc/passwd')).toBe('/srv/app/etc/passwd');
    expect(resolveInside('/srv/app', '/%2e%2e/%2e%2e/etc/passwd')).toBe('/srv/app/etc/passwd');
    expect(resolveInside('/srv/app', '/a%00b')).toBeNull();
  });
});
