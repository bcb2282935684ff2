import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, callError, cli } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';
import policy from '../../contracts/policy/policy.json';

// Acceptance: a child cannot read RED memories or share out; a guest sees GREEN only — each a FORBIDDEN with reasons.
describe('roles', () => {
  const { dir, cleanup } = tempDir();
  let child = '';
  let guest = '';
  const ids: Record<string, string> = {};
  beforeAll(() => {
    expect(cli(dir, ['init', '--name', 'Ana']).code).toBe(0);
    call(dir, 'space.create', { kind: 'shared', name: 'Family' });
    call(dir, 'space.create', { kind: 'extended', name: 'Cousins' });
    child = call(dir, 'member.create', { name: 'Leo' }).member.member_id;
    guest = call(dir, 'member.create', { name: 'Babysitter' }).member.member_id;
    call(dir, 'space.addMember', { space_id: 'shared:family', member_id: child, role: 'child' });
    call(dir, 'space.addMember', { space_id: 'extended:cousins', member_id: child, role: 'child' });
    call(dir, 'space.addMember', { space_id: 'shared:family', member_id: guest, role: 'guest' });
    for (const band of ['GREEN', 'AMBER', 'RED']) {
      ids[band] = call(dir, 'memory.create', { space_id: 'shared:family', type: 'semantic', band, title: `${band} fact`, body: `about bikes, ${band}` }).memory.memory_id;
    }
  });
  afterAll(cleanup);

  const forbidden = (method: string, params: unknown, as: string) => {
    const r = callError(dir, method, params, { as });
    expect(r.code).toBe(2);
    expect(r.error.code).toBe('FORBIDDEN');
    expect(r.error.details.policy_version).toBe(policy.policy_version);
    return r.error.details.reasons.map((x: any) => x.code) as string[];
  };

  it('a child cannot read RED', () => {
    const reasons = forbidden('memory.get', { memory_id: ids.RED }, child);
    expect(reasons).toContain('ROLE_BAND');
    expect(reasons).toContain('RED_NOT_RECIPIENT');
    expect(call(dir, 'memory.get', { memory_id: ids.AMBER }, { as: child }).memory.title).toBe('AMBER fact');
  });

  it('a child cannot share out', () => {
    expect(forbidden('memory.share', { memory_id: ids.GREEN, target_space_id: 'extended:cousins' }, child)).toContain('MISSING_CAP_PROJECT');
  });

  it('a profile cannot add profiles: only the vault owner can', () => {
    expect(forbidden('member.create', { name: 'Sneaky' }, child)).toContain('NOT_OWNER');
  });

  it('a child cannot write RED or administer', () => {
    expect(forbidden('memory.create', { space_id: 'shared:family', type: 'episodic', band: 'RED', title: 'secret' }, child)).toContain('ROLE_BAND');
    expect(forbidden('space.addMember', { space_id: 'shared:family', member_id: guest, role: 'adult' }, child)).toContain('MISSING_CAP_ADMIN');
  });

  it('a guest sees GREEN only', () => {
    expect(forbidden('memory.get', { memory_id: ids.AMBER }, guest)).toContain('ROLE_BAND');
    expect(forbidden('memory.get', { memory_id: ids.RED }, guest)).toContain('ROLE_BAND');
    expect(call(dir, 'memory.get', { memory_id: ids.GREEN }, { as: guest }).memory.title).toBe('GREEN fact');
    expect(call(dir, 'memory.list', {}, { as: guest }).memories.map((m: any) => m.band)).toEqual(['GREEN']);
    expect(call(dir, 'memory.search', { query: 'bikes' }, { as: guest }).hits.map((h: any) => h.band)).toEqual(['GREEN']);
    expect(forbidden('memory.create', { space_id: 'shared:family', type: 'episodic', band: 'GREEN', title: 'hi' }, guest)).toContain('MISSING_CAP_WRITE');
  });

  it('RED is sealed to its recipients: a named recipient reads it, others see a stub', () => {
    const adult = call(dir, 'member.create', { name: 'Marta' }).member.member_id;
    const other = call(dir, 'member.create', { name: 'Tom' }).member.member_id;
    call(dir, 'space.addMember', { space_id: 'shared:family', member_id: adult, role: 'adult' });
    call(dir, 'space.addMember', { space_id: 'shared:family', member_id: other, role: 'adult' });
    const red = call(dir, 'memory.create', { space_id: 'shared:family', type: 'semantic', band: 'RED', title: 'Bank PIN', body: '4242', recipients: [adult] }).memory.memory_id;
    expect(call(dir, 'memory.get', { memory_id: red }, { as: adult }).memory.body).toBe('4242');
    expect(forbidden('memory.get', { memory_id: red }, other)).toContain('RED_NOT_RECIPIENT');
    const stub = call(dir, 'memory.list', { band: 'RED' }, { as: other }).memories.find((m: any) => m.memory_id === red);
    expect(stub).toMatchObject({ title: '', body: '', redacted: true });
    expect(call(dir, 'memory.search', { query: 'pin' }, { as: other }).hits).toEqual([]);
    const hit = call(dir, 'memory.search', { query: 'pin' }, { as: adult }).hits[0];
    expect(hit).toMatchObject({ memory_id: red, title: '', snippet: '', redacted: true }); // hidden until opened
  });

  it('AMBER previews hide PII from others but not from the author', () => {
    const m = call(dir, 'memory.create', { space_id: 'shared:family', type: 'semantic', band: 'AMBER', title: 'Pediatrician', body: 'Call +49 30 1234567 or mail doc@clinic.example' }).memory.memory_id;
    const mine = call(dir, 'memory.list', { band: 'AMBER' }).memories.find((x: any) => x.memory_id === m);
    expect(mine.body).toContain('doc@clinic.example');
    const theirs = call(dir, 'memory.list', { band: 'AMBER' }, { as: child }).memories.find((x: any) => x.memory_id === m);
    expect(theirs.body).toBe('Call [phone] or mail [email]');
    expect(theirs.redacted).toBe(true);
    expect(call(dir, 'memory.get', { memory_id: m }, { as: child }).memory.body).toContain('doc@clinic.example'); // opening shows it, audited
  });
});
