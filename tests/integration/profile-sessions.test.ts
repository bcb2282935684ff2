/**
 * Profiles on a shared computer (issue "the app a family would keep", item 5): a real host
 * process and its sockets. A session switched to a child's profile acts as the child and nobody
 * else — an `as` of the owner, or an owner-only method, is refused through the policy seam; a
 * wrong PIN is refused and backs off; a right one switches; preview-as answers what a member
 * would see of an AMBER memory (PII redacted) and of a RED one (nothing).
 */
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { call, cli, hostPost, serve, type ServeHandle } from '../helpers/cli';
import { tempDir } from '../helpers/tmp';

const SPACE = 'shared:family';
const AMBER_BODY = 'Dr Patel: dr.patel@example.org, +44 20 7946 0958. Leo is allergic to peanuts.';

/** One socket to the host, calls answered in order of their ids. */
async function socket(port: number, token: string) {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/api/ws`, [`memoryos.bearer.${token}`]);
  await new Promise<void>((resolve, reject) => { ws.once('open', () => resolve()); ws.once('error', reject); ws.once('unexpected-response', () => reject(new Error('refused'))); });
  let next = 1;
  const waiting = new Map<number, (m: any) => void>();
  ws.on('message', (d) => { const m = JSON.parse(String(d)); waiting.get(m.id)?.(m); waiting.delete(m.id); });
  return {
    ws,
    call(method: string, params: unknown = {}, as?: string): Promise<any> {
      const id = next++;
      return new Promise((resolve) => { waiting.set(id, resolve); ws.send(JSON.stringify({ id, method, params, ...(as ? { as } : {}) })); });
    },
    close: () => ws.close(),
  };
}

describe('a host session bound to a profile', () => {
  const { dir, cleanup } = tempDir();
  let host: ServeHandle;
  let owner: string;
  let leo: string;
  let mia: string;
  let amber: string;
  let red: string;
  const post = (token: string, method: string, params: unknown = {}, as?: string) => hostPost(host.port, token, { method, params, ...(as ? { as } : {}) });

  beforeAll(async () => {
    expect(cli(dir, ['init', '--name', 'Ana']).code).toBe(0);
    owner = call(dir, 'session.current', {}).member.member_id;
    call(dir, 'space.create', { kind: 'shared', name: 'Family', slug: 'family' });
    leo = call(dir, 'member.create', { name: 'Leo' }).member.member_id;
    mia = call(dir, 'member.create', { name: 'Mia' }).member.member_id;
    for (const m of [leo, mia]) call(dir, 'space.addMember', { space_id: SPACE, member_id: m, role: 'child' });
    expect(call(dir, 'member.setPin', { member_id: leo, pin: '2468' }).member.has_pin).toBe(true);
    call(dir, 'member.setPin', { member_id: mia, pin: '1357' });
    amber = call(dir, 'memory.create', { space_id: SPACE, type: 'semantic', band: 'AMBER', title: 'Doctor', body: AMBER_BODY }).memory.memory_id;
    red = call(dir, 'memory.create', { space_id: SPACE, type: 'semantic', band: 'RED', title: 'Surprise party', body: 'for Leo, on Saturday' }).memory.memory_id;
    host = await serve(dir);
  }, 120_000);
  afterAll(async () => { await host?.stop(); cleanup(); });

  it('stores only a hash of the PIN, and says which profiles have one', async () => {
    const members = (await post(host.token, 'member.list')).json.result.members;
    expect(members.find((m: any) => m.member_id === leo)).toMatchObject({ has_pin: true, local: true });
    expect(members.find((m: any) => m.member_id === owner)).toMatchObject({ has_pin: false });
    expect(JSON.stringify(members)).not.toContain('2468');
  });

  it('refuses a switch without the PIN or with a wrong one, and backs off after a few', async () => {
    const none = await post(host.token, 'session.switchProfile', { member_id: mia });
    expect(none.json.error).toMatchObject({ code: 'BAD_CREDENTIALS', details: { pin_required: true } });
    let last: any;
    for (let i = 0; i < 5; i++) last = (await post(host.token, 'session.switchProfile', { member_id: mia, pin: '0000' })).json;
    expect(last.error.code).toBe('BAD_CREDENTIALS');
    expect(last.error.details.retry_at).not.toBeNull(); // the fifth wrong PIN in a row starts the wait
    // while the wait runs even the right PIN is not tried
    const blocked = await post(host.token, 'session.switchProfile', { member_id: mia, pin: '1357' });
    expect(blocked.status).toBe(429);
    expect(blocked.json.error.code).toBe('RATE_LIMITED');
    expect(Date.parse(blocked.json.error.details.retry_at)).toBeGreaterThan(Date.now() - 1000);
    await new Promise((r) => setTimeout(r, Math.max(0, Date.parse(blocked.json.error.details.retry_at) - Date.now()) + 100));
    const ok = await post(host.token, 'session.switchProfile', { member_id: mia, pin: '1357' });
    expect(ok.json.result.member.member_id).toBe(mia);
  });

  it('switches with the right PIN: the new session acts as the child, and only as the child', async () => {
    const r = await post(host.token, 'session.switchProfile', { member_id: leo, pin: '2468' });
    expect(r.status).toBe(200);
    const child: string = r.json.result.session_token;
    expect(child).toMatch(/^s\./);
    expect((await post(child, 'session.current')).json.result).toMatchObject({ member: { member_id: leo, name: 'Leo' }, bound: true });

    // the child's session naming the owner as `as` is refused, through the policy seam
    const asOwner = await post(child, 'memory.get', { memory_id: amber }, owner);
    expect(asOwner.status).toBe(403);
    expect(asOwner.json.error.code).toBe('FORBIDDEN');
    expect(asOwner.json.error.details.reasons.map((x: any) => x.code)).toEqual(['SESSION_BOUND']);
    expect((await post(child, 'member.create', { name: 'Sneaky' }, owner)).json.error.details.reasons[0].code).toBe('SESSION_BOUND');
    // and so is any owner-only method, without an `as`
    for (const [method, params] of [['member.create', { name: 'Sneaky' }], ['vault.lock', {}], ['settings.set', { settings: { auto_lock_minutes: 1 } }], ['member.setPin', { member_id: owner, pin: '1111' }]] as const) {
      const e = (await post(child, method, params)).json.error;
      expect(e.code, method).toBe('FORBIDDEN');
      expect(e.details.reasons.map((x: any) => x.code), method).toEqual(expect.arrayContaining([expect.stringMatching(/NOT_OWNER|NOT_SUBJECT/)]));
    }
    // what the child sees: the RED memory is not theirs to open, the AMBER one is redacted in the list
    expect((await post(child, 'memory.get', { memory_id: red })).json.error.code).toBe('FORBIDDEN');
    const list = (await post(child, 'memory.list', { space_id: SPACE })).json.result;
    const seen = list.memories ?? list.items;
    expect(JSON.stringify(seen)).not.toContain('dr.patel@example.org');
    expect(JSON.stringify(seen)).not.toContain('Saturday');
    // the child may name themself
    expect((await post(child, 'session.current', {}, leo)).json.result.member.member_id).toBe(leo);
    // the host's own token still acts as the owner (the CLI's door)
    expect((await post(host.token, 'session.current')).json.result).toMatchObject({ member: { member_id: owner }, bound: false });
  });

  it('over a WebSocket: the socket is rebound, the old session token stops working, the owner PIN guards the way back', async () => {
    expect((await post(host.token, 'member.setPin', { member_id: owner, pin: '9090' })).json.result.member.has_pin).toBe(true);
    const s = await socket(host.port, host.token);
    const sw = await s.call('session.switchProfile', { member_id: leo, pin: '2468' });
    const leoToken: string = sw.result.session_token;
    expect((await s.call('session.current')).result.member.member_id).toBe(leo);
    const refused = await s.call('memory.get', { memory_id: amber }, owner);
    expect(refused.error).toMatchObject({ code: 'FORBIDDEN', details: { reasons: [{ code: 'SESSION_BOUND' }] } });
    expect((await s.call('vault.lock')).error.details.reasons[0].code).toBe('NOT_OWNER');

    // back to the owner: the owner's PIN now, the child's session cannot just walk back
    expect((await s.call('session.switchProfile', { member_id: owner })).error.code).toBe('BAD_CREDENTIALS');
    expect((await s.call('session.switchProfile', { member_id: owner, pin: '1234' })).error.code).toBe('BAD_CREDENTIALS');
    const back = await s.call('session.switchProfile', { member_id: owner, pin: '9090' });
    expect(back.result.member.member_id).toBe(owner);
    expect((await s.call('session.current')).result).toMatchObject({ member: { member_id: owner }, bound: true });
    // the child's token from before the switch is gone, over HTTP and for a new socket
    expect((await post(leoToken, 'session.current')).status).toBe(401);
    await expect(socket(host.port, leoToken)).rejects.toThrow();
    // a session bound to the owner refuses another `as` too
    expect((await s.call('session.current', {}, leo)).error.details.reasons[0].code).toBe('SESSION_BOUND');
    s.close();
    await post(host.token, 'member.setPin', { member_id: owner, pin: null });
  });

  it('refuses a switch to someone whose keys this vault does not hold', async () => {
    const e = (await post(host.token, 'session.switchProfile', { member_id: '01JD0000000000000000000009' })).json.error;
    expect(e.code).toBe('FORBIDDEN');
    expect(e.details.reasons[0].code).toBe('NOT_LOCAL_MEMBER');
  });

  it('preview-as: the AMBER memory as the child would see it, redacted by the policy; the RED one not at all', async () => {
    const p = (await post(host.token, 'memory.previewAs', { memory_id: amber, member_id: leo })).json.result;
    expect(p.decision.effect).toBe('ALLOW_REDACTED');
    expect(p.memory.redacted).toBe(true);
    expect(p.memory.body).toContain('[email]');
    expect(p.memory.body).toContain('[phone]');
    expect(p.memory.body).toContain('allergic to peanuts');
    expect(p.memory.body).not.toContain('dr.patel@example.org');
    // the owner previewing as themself (the author) sees it whole
    const self = (await post(host.token, 'memory.previewAs', { memory_id: amber, member_id: owner })).json.result;
    expect(self.memory.body).toBe(AMBER_BODY);
    expect(self.decision.effect).toBe('ALLOW');
    const r = (await post(host.token, 'memory.previewAs', { memory_id: red, member_id: leo })).json.result;
    expect(r.memory).toBeNull();
    expect(r.decision.effect).toBe('DENY');
    expect(r.decision.reasons.map((x: any) => x.code)).toContain('ROLE_BAND');
    // a child cannot use preview-as to read what they may not open
    const sw = await post(host.token, 'session.switchProfile', { member_id: leo, pin: '2468' });
    const child = sw.json.result.session_token;
    expect((await post(child, 'memory.previewAs', { memory_id: red, member_id: owner })).json.error.code).toBe('FORBIDDEN');
  });
});
