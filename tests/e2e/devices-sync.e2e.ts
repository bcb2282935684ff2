import type { Page } from '@playwright/test';
import { expectNoSeriousViolations } from './axe';
import { createVaultViaUi, expect, newMemory, openUnlocked, test } from './fixtures';
import { startHostProcess, type HostProcess } from './host-process';
import { snap } from './screenshots';

/** Loopback only, and a fast anti-entropy hello so "verified up to date" shows within a second. */
const SYNC_ENV = { MEMORYOS_SYNC_HOST: '127.0.0.1', MEMORYOS_SYNC_HELLO_MS: '300' };

async function openDevices(page: Page): Promise<void> {
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Devices & sync' }).click();
  await expect(page.getByRole('heading', { name: 'Devices & sync', level: 1 })).toBeVisible();
}

/** The row of a peer device's space on the Devices & sync screen. */
const peerSpace = (page: Page, deviceId: string, spaceId: string) => page.getByTestId(`peer-${deviceId}`).getByTestId(`peer-space-${spaceId}`);

/**
 * Two real hosts on two data directories (SPEC §7): A is an existing device, B a brand-new one set
 * up through the UI. They are linked through the UI alone (offer on A, accept on B, compare the
 * codes, confirm on both), then a memory written on A shows on B and both say "verified up to date".
 */
test('two devices link through the UI and a memory written on one appears on the other, verified up to date', async ({ browser }) => {
  const hosts: HostProcess[] = [];
  const ctxA = await browser.newContext();
  const ctxB = await browser.newContext({ colorScheme: 'dark' });
  try {
    hosts.push(await startHostProcess({ env: SYNC_ENV }), await startHostProcess({ env: SYNC_ENV }));
    const [a, b] = hosts;
    const pageA = await ctxA.newPage();
    const pageB = await ctxB.newPage();
    await openUnlocked(pageA, a);
    await createVaultViaUi(pageB, b);
    const aDevice = (await a.call<{ device_id: string }>('vault.status')).device_id;
    const bDevice = (await b.call<{ device_id: string }>('vault.status')).device_id;

    // ---- A offers: the invite as text and as a QR code, and the code to compare ----
    await openDevices(pageA);
    await pageA.getByRole('button', { name: 'Link a new device' }).click();
    const invite = await pageA.getByTestId('offer-invite').inputValue();
    expect(invite).toMatch(/^mos1\.[A-Za-z0-9_-]+$/);
    const code = (await pageA.getByTestId('offer-code').textContent())!.trim();
    expect(code).toMatch(/^\d{3} \d{3}$/);
    await expect(pageA.getByRole('img', { name: 'The invite as a QR code' })).toBeVisible();
    await expectNoSeriousViolations(pageA, 'devices & sync with an invite (light)');

    // ---- B accepts the invite and shows the same code ----
    await openDevices(pageB);
    const accept = pageB.getByTestId('pair-accept');
    await accept.getByLabel('Invite from your other device').fill(invite);
    await accept.getByRole('button', { name: 'Connect' }).click();
    await expect(pageB.getByTestId('accept-code')).toHaveText(code);
    await expectNoSeriousViolations(pageB, 'devices & sync comparing codes (dark)');

    // ---- A sees the new device (polled), both confirm after comparing ----
    const pending = pageA.getByTestId('pending-device');
    await expect(pending).toContainText(bDevice.slice(-6));
    await pending.getByRole('button', { name: 'Codes match: confirm' }).click();
    await expect(pageA.getByTestId('notice')).toContainText('Device linked');
    await accept.getByRole('button', { name: 'Codes match: confirm' }).click();
    // B took on its person: A's device is one of "your devices" there now, trusted
    await expect(pageB.getByTestId(`device-${aDevice}`)).toContainText('trusted');
    await expect(pageA.getByTestId(`device-${bDevice}`)).toContainText('trusted');

    // ---- a memory written on A reaches B ----
    await pageA.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Memories' }).click();
    await newMemory(pageA, { title: 'Lake trip with the kids', band: 'GREEN', body: 'Written on the first device.' });
    await expect(peerSpace(pageB, aDevice, 'personal:me').getByTestId('sync-state')).toHaveText('verified up to date', { timeout: 20_000 });
    await expect(pageB.getByTestId(`peer-${aDevice}`).getByTestId('peer-connection')).toContainText('connected');
    await pageB.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Memories' }).click();
    await expect(pageB.getByRole('option', { name: /Lake trip with the kids/ })).toBeVisible();

    // ---- A says so too, per space and peer ----
    await openDevices(pageA);
    await expect(peerSpace(pageA, bDevice, 'personal:me').getByTestId('sync-state')).toHaveText('verified up to date', { timeout: 20_000 });
    await expect(pageA.getByTestId(`peer-${bDevice}`).getByTestId('peer-connection')).toContainText('connected (direct)');
    await snap(pageA, '10-devices-sync');
    await expectNoSeriousViolations(pageA, 'devices & sync, linked and verified');

    // ---- revoke, behind a confirm step ----
    await pageA.getByRole('button', { name: `Revoke`, exact: false }).first().click();
    const dialog = pageA.getByTestId('revoke-dialog');
    await expect(dialog).toContainText('moves to new keys');
    await expectNoSeriousViolations(pageA, 'revoke dialog');
    await dialog.getByRole('button', { name: 'Revoke device' }).click();
    await expect(dialog).toBeHidden();
    await expect(pageA.getByTestId(`device-${bDevice}`)).toContainText('revoked');
  } finally {
    await ctxA.close();
    await ctxB.close();
    for (const h of hosts) await h.stop();
  }
});
