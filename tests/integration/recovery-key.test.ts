import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { openTestApp, PASS } from '../helpers/app';

/**
 * Issue 10, defect 9: the recovery key could be skipped — reloading on the screen that shows it
 * once landed in the vault and it was never shown again. Now the vault remembers whether it was
 * confirmed (given back), and a key never confirmed is replaced, after the passphrase, by a new one.
 */
describe('the recovery key, confirmed or replaced', () => {
  let t: Awaited<ReturnType<typeof openTestApp>>;
  let first = '';
  beforeAll(async () => {
    t = await openTestApp({ create: false });
    first = (await t.c('vault.create', { passphrase: PASS, name: 'Ana' })).recovery_key;
  });
  afterAll(async () => { await t.close(); });

  it('is unconfirmed after creation, and a key that is not this vault\'s does not confirm it', async () => {
    expect((await t.c('vault.status')).recovery_key_confirmed).toBe(false);
    const wrong = first.replace(/^./, (ch: string) => (ch === 'A' ? 'B' : 'A'));
    await expect(t.c('vault.confirmRecoveryKey', { recovery_key: wrong })).rejects.toMatchObject({ code: 'BAD_CREDENTIALS' });
    expect((await t.c('vault.status')).recovery_key_confirmed).toBe(false);
  });

  it('a key lost before it was confirmed is replaced after the passphrase: the old one stops opening the vault, the new one opens it', async () => {
    await expect(t.c('vault.newRecoveryKey', { passphrase: 'not the passphrase at all' })).rejects.toMatchObject({ code: 'BAD_CREDENTIALS' });
    const second = (await t.c('vault.newRecoveryKey', { passphrase: PASS })).recovery_key as string;
    expect(second).not.toBe(first);
    expect((await t.c('vault.status')).recovery_key_confirmed).toBe(false);
    await t.c('vault.lock');
    await expect(t.c('vault.unlock', { recovery_key: first })).rejects.toMatchObject({ code: 'BAD_CREDENTIALS' });
    await t.c('vault.unlock', { recovery_key: second });
    await t.c('vault.confirmRecoveryKey', { recovery_key: second });
    const status = await t.c('vault.status');
    expect(status.recovery_key_confirmed).toBe(true);
    // the confirmation is kept in the vault header: locked, it still says so
    await t.c('vault.lock');
    expect((await t.c('vault.status')).recovery_key_confirmed).toBe(true);
    await t.c('vault.unlock', { passphrase: PASS });
  });
});
