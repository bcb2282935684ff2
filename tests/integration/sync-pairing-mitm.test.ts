import { connect, createServer, type Server, type Socket } from 'node:net';
import NoiseSecretStream from '@hyperswarm/secret-stream';
import { afterAll, describe, expect, it } from 'vitest';
import { b64, boxKeyPair, initCrypto, signKeyPair } from '../../core/crypto/sodium';
import { decodeInvite, encodeInvite, secretProof } from '../../core/sync/invite';
import { device, offeredCode, waitFor, type TestApp } from '../helpers/sync';

type Frame = Record<string, unknown> & { t: string };
const send = (s: NoiseSecretStream, f: Frame) => s.write(Buffer.from(JSON.stringify(f)));

/**
 * A man in the middle on loopback that holds the offering device's invite and terminates both
 * Noise sessions itself: to the offering device it is the new device (it proves the invite's
 * secret on its own connection); to the new device it is the offering device (it hands it an
 * invite naming its own key). It forwards everything else between the two.
 */
class Mitm {
  private server: Server | null = null;
  private readonly sockets = new Set<Socket>();
  readonly key = signKeyPair();
  readonly box = boxKeyPair();
  readonly deviceId = '01JDMXTM00000000000000RPY0';
  forwarded: string[] = [];
  invite = '';

  constructor(private readonly offeredInvite: string) {}

  async start(): Promise<string> {
    const real = decodeInvite(this.offeredInvite, 'pair', Date.now());
    const kp = { publicKey: Buffer.from(this.key.publicKey), secretKey: Buffer.from(this.key.privateKey) };
    const info = { device_id: this.deviceId, member_id: '01JDMXTM00000000000000MBR0', ed25519: b64(this.key.publicKey), x25519: b64(this.box.publicKey), platform: 'linux' };
    this.server = createServer((down) => {
      this.sockets.add(down);
      const toNew = new NoiseSecretStream(false, down, { keyPair: kp });
      // upstream: the relay pairs with the offering device as if it were the new one
      const up = connect(Number(real.hints[0]!.split(':')[1]), '127.0.0.1');
      this.sockets.add(up);
      const toOffer = new NoiseSecretStream(true, up, { keyPair: kp });
      let offerOk: Frame | null = null;
      let pendingNew: Frame[] = [];
      toOffer.opened.then(() => send(toOffer, { t: 'pair', invite_id: real.id, proof: secretProof(real.secret, toOffer.handshakeHash!), device: info }));
      toOffer.on('data', (buf: Buffer) => {
        const f = JSON.parse(buf.toString('utf8')) as Frame;
        if (f.t === 'pair_ok') {
          offerOk = f;
          for (const x of pendingNew) this.answerNew(toNew, x, offerOk, info);
          pendingNew = [];
          return;
        }
        this.forwarded.push(`offer→new ${f.t}`);
        toNew.write(buf);
      });
      toNew.on('data', (buf: Buffer) => {
        const f = JSON.parse(buf.toString('utf8')) as Frame;
        if (f.t === 'pair') { if (offerOk) this.answerNew(toNew, f, offerOk, info); else pendingNew.push(f); return; }
        this.forwarded.push(`new→offer ${f.t}`);
        toOffer.write(buf);
      });
      for (const s of [toNew, toOffer]) { s.on('error', () => {}); s.on('close', () => { toNew.destroy(); toOffer.destroy(); }); }
    });
    await new Promise<void>((r) => this.server!.listen(0, '127.0.0.1', () => r()));
    const port = (this.server!.address() as { port: number }).port;
    // the invite the new device is given: the relay's key and address, a secret of its own
    this.invite = encodeInvite({ ...real, device_id: this.deviceId, device_key: b64(this.key.publicKey), hints: [`127.0.0.1:${port}`], secret: 'cmVsYXktc2VjcmV0LXJlbGF5LXNlY3JldC1yZWxheS0x' });
    return this.invite;
  }

  /** To the new device the relay plays the offering device: the offering member's id, its own device. */
  private answerNew(toNew: NoiseSecretStream, _pair: Frame, offerOk: Frame, info: Record<string, string>): void {
    send(toNew, { t: 'pair_ok', device: info, member_id: offerOk.member_id });
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((r) => (this.server ? this.server.close(() => r()) : r()));
  }
}

describe('pairing through a man in the middle who holds the invite', () => {
  const apps: TestApp[] = [];
  const relays: Mitm[] = [];
  afterAll(async () => { for (const r of relays) await r.close(); for (const a of apps) await a.close(); });

  it('the two devices show different codes, and confirming on one side alone trusts nothing', async () => {
    await initCrypto();
    const owner = await device('Ana'); apps.push(owner);
    const fresh = await device('Ana2'); apps.push(fresh);
    const offer = await owner.c('device.pairOffer', {});
    const relay = new Mitm(offer.invite); relays.push(relay);
    const poisoned = await relay.start();
    const acc = await fresh.c('device.pairAccept', { invite: poisoned });
    expect(acc.device_id).toBe(relay.deviceId);
    const ownerSide = await offeredCode(owner, relay.deviceId);
    expect(acc.code).toMatch(/^\d{3} \d{3}$/);
    expect(ownerSide).not.toBe(acc.code);

    // the owner confirms on its side alone: nothing is trusted, nothing is sent
    expect((await owner.c('device.confirm', { device_id: relay.deviceId })).status).toBe('waiting');
    const peer = (await owner.c('sync.status', {})).peers.find((p: any) => p.device_id === relay.deviceId);
    expect(peer.status).toBe('pending');
    expect(relay.forwarded.filter((x) => x.includes('keys'))).toEqual([]);

    // the new device's person confirms too (its screen shows its own code): the codes differ, the pairing ends
    expect((await fresh.c('device.confirm', { device_id: relay.deviceId })).status).toBe('waiting');
    await waitFor('the offering device to refuse the mismatched codes', async () => ((await owner.c('sync.status', {})).refused.pair_code_mismatch ?? 0) >= 1);
    await new Promise((r) => setTimeout(r, 300));
    expect(relay.forwarded.filter((x) => x.includes('keys'))).toEqual([]);
    expect((await owner.c('sync.status', {})).peers.find((p: any) => p.device_id === relay.deviceId).status).toBe('pending');
    await expect(owner.c('device.confirm', { device_id: relay.deviceId })).rejects.toMatchObject({ code: 'CONFLICT' });
    // the new device adopted nothing and trusts no one
    expect(fresh.app.ctx.keyring!.memberId).not.toBe(owner.app.ctx.keyring!.memberId);
    expect((await fresh.c('sync.status', {})).peers.every((p: any) => p.status !== 'trusted')).toBe(true);
  }, 60_000);

  it('without a man in the middle the same steps pair the devices', async () => {
    const owner = await device('Ana'); apps.push(owner);
    const fresh = await device('Ana2'); apps.push(fresh);
    const offer = await owner.c('device.pairOffer', {});
    const acc = await fresh.c('device.pairAccept', { invite: offer.invite });
    expect(acc.code).toBe(await offeredCode(owner, fresh.app.ctx.keyring!.deviceId));
    expect((await owner.c('device.confirm', { device_id: fresh.app.ctx.keyring!.deviceId })).status).toBe('waiting');
    await fresh.c('device.confirm', { device_id: acc.device_id });
    await waitFor('adoption', () => fresh.app.ctx.keyring!.memberId === owner.app.ctx.keyring!.memberId);
    expect((await owner.c('sync.status', {})).peers.find((p: any) => p.device_id === fresh.app.ctx.keyring!.deviceId).status).toBe('trusted');
  }, 60_000);
});
