import { expectNoSeriousViolations } from './axe';
import { expect, NAME, PASSPHRASE, test } from './fixtures';
import { snap } from './screenshots';

/**
 * Profiles on a shared computer: switch to a child's profile with its PIN and see what the child
 * sees (the owner's RED memory not there, the AMBER one without its e-mail address and phone
 * number), switch back; "Preview as …" in the share dialog shows the same redaction before a
 * share; axe-clean in light and dark.
 */
test('switch to a child profile with a PIN, see what the child sees, preview a share as them', async ({ page, host }) => {
  await host.call('vault.create', { passphrase: PASSPHRASE, name: NAME });
  await host.call('space.create', { kind: 'shared', name: 'Family', slug: 'family' });
  await host.call('space.create', { kind: 'extended', name: 'Cousins', slug: 'cousins' });
  const { member: leo } = await host.call<{ member: { member_id: string } }>('member.create', { name: 'Leo' });
  for (const space_id of ['shared:family', 'extended:cousins']) await host.call('space.addMember', { space_id, member_id: leo.member_id, role: 'child' });
  await host.call('member.setPin', { member_id: leo.member_id, pin: '2468' });
  await host.call('memory.create', { space_id: 'shared:family', type: 'semantic', band: 'AMBER', title: 'School contacts', body: 'Ms Reed: reed@school.example, +44 20 7946 0111. Pickup at 3.' });
  await host.call('memory.create', { space_id: 'shared:family', type: 'semantic', band: 'RED', title: 'Birthday surprise', body: 'A bike for Leo, hidden in the shed.' });
  await host.call('memory.create', { space_id: 'shared:family', type: 'semantic', band: 'GREEN', title: 'Wifi name', body: 'Garden' });

  await page.goto(host.loginUrl);
  await expect(page.getByTestId('profile-button')).toHaveText(`Profile: ${NAME}`);

  // ---- the profile dialog: who is here, the PIN is not encryption ----
  await page.getByTestId('profile-button').click();
  const dialog = page.getByTestId('profiles-dialog');
  await expect(dialog.getByTestId('profile-list')).toContainText('Leo · PIN');
  await expect(dialog).toContainText('It is not encryption');
  await dialog.getByTestId('switch-to-Leo').click();
  // a wrong PIN is refused, in words
  await dialog.getByTestId('profile-pin').fill('1111');
  await dialog.getByTestId('profile-pin-submit').click();
  await expect(dialog.getByTestId('profile-pin-error')).toHaveText('That PIN is not right.');
  await expectNoSeriousViolations(page, 'profile PIN prompt (light)');
  await snap(page, '22-profiles');
  await dialog.getByTestId('profile-pin').fill('2468');
  await dialog.getByTestId('profile-pin-submit').click();
  await expect(dialog).toBeHidden();
  await expect(page.getByTestId('profile-button')).toHaveText('Profile: Leo');
  await expect(page.getByTestId('notice')).toContainText('You are now using Leo’s profile.');

  // ---- what the child sees ----
  await page.getByTestId('spaces').getByRole('button', { name: /^Family/ }).click();
  const list = page.getByTestId('memory-list');
  await expect(list).toContainText('School contacts');
  await expect(list).toContainText('Wifi name');
  await expect(list).not.toContainText('reed@school.example');
  await expect(list).not.toContainText('7946');
  await expect(list).not.toContainText('bike for Leo');
  await expect(page.getByTestId('spaces')).not.toContainText('Personal');
  // the child's session cannot act as the owner through the page's own connection either
  const refused = await page.evaluate(async () => {
    const token = sessionStorage.getItem('memoryos.token');
    const r = await fetch('/api/call', { method: 'POST', headers: { Authorization: `Bearer ${token}`, 'Content-Type': 'application/json' }, body: JSON.stringify({ method: 'member.create', params: { name: 'Sneaky' } }) });
    return (await r.json()).error?.code as string | undefined;
  });
  expect(refused).toBe('FORBIDDEN');
  await expectNoSeriousViolations(page, 'a child profile (light)');
  await page.getByRole('button', { name: /Switch to dark theme/ }).click();
  await page.getByTestId('profile-button').click();
  await expectNoSeriousViolations(page, 'profiles dialog (dark)');

  // ---- back to the owner (no PIN on this profile) ----
  await dialog.getByTestId(`switch-to-${NAME}`).click();
  await expect(page.getByTestId('profile-button')).toHaveText(`Profile: ${NAME}`);
  await page.getByRole('button', { name: /Switch to light theme/ }).click();

  // ---- Preview as … in the share dialog: the same redaction, before the share ----
  await page.getByTestId('spaces').getByRole('button', { name: /^Family/ }).click();
  await page.getByRole('option', { name: /School contacts/ }).click();
  await page.getByRole('button', { name: 'Share…' }).click();
  const share = page.getByTestId('share-dialog');
  await share.getByTestId('share-target').selectOption({ label: 'Cousins (Extended)' });
  await share.getByTestId('preview-as-member').selectOption({ label: 'Leo (child)' });
  await share.getByTestId('preview-as-show').click();
  const shown = share.getByTestId('preview-as-result');
  await expect(shown).toContainText('What Leo would see');
  await expect(share.getByTestId('preview-as-body')).toContainText('[email]');
  await expect(share.getByTestId('preview-as-body')).toContainText('Pickup at 3.');
  await expect(share.getByTestId('preview-as-body')).not.toContainText('reed@school.example');
  await expectNoSeriousViolations(page, 'share dialog with preview-as (light)');
  await snap(page, '23-preview-as');
  await share.getByRole('button', { name: 'Cancel' }).click();

  // a RED memory: Leo would not see it at all
  await page.getByRole('button', { name: /Switch to dark theme/ }).click();
  await page.getByRole('option', { name: /Birthday surprise/ }).click();
  await page.getByRole('button', { name: 'Share…' }).click();
  await share.getByTestId('share-target').selectOption({ label: 'Cousins (Extended)' });
  await share.getByTestId('preview-as-show').click();
  await expect(shown).toContainText('Leo would not see this memory');
  await expectNoSeriousViolations(page, 'share dialog with preview-as (dark)');
});

test('a device gets a name, shown in the device list', async ({ page, host }) => {
  await host.call('vault.create', { passphrase: PASSPHRASE, name: NAME });
  await page.goto(host.loginUrl);
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Devices & sync' }).click();
  const list = page.getByTestId('device-list');
  await list.getByRole('button', { name: /^Rename/ }).first().click();
  const d = page.getByTestId('rename-device-dialog');
  await d.getByLabel('Device name').fill('Kitchen laptop');
  await expectNoSeriousViolations(page, 'rename device dialog');
  await d.getByRole('button', { name: 'Save name' }).click();
  await expect(d).toBeHidden();
  await expect(list).toContainText('Kitchen laptop (this device)');
  await expect(page.getByTestId('notice')).toContainText('Device renamed to Kitchen laptop.');
});

test('a shared copy says where it came from, and opens the original', async ({ page, host }) => {
  await host.call('vault.create', { passphrase: PASSPHRASE, name: NAME });
  await host.call('space.create', { kind: 'shared', name: 'Family', slug: 'family' });
  const { memory } = await host.call<{ memory: { memory_id: string } }>('memory.create', { space_id: 'personal:me', type: 'procedural', band: 'GREEN', title: 'Lasagne', body: 'Grandma’s recipe.' });
  await host.call('memory.share', { memory_id: memory.memory_id, target_space_id: 'shared:family' });
  await host.call('memory.update', { memory_id: memory.memory_id, patch: { title: 'Lasagne (less salt)' } });
  await page.goto(host.loginUrl);
  await page.getByTestId('spaces').getByRole('button', { name: /^Family/ }).click();
  await page.getByRole('option', { name: /Lasagne/ }).click();
  const origin = page.getByTestId('copied-from');
  await expect(origin).toContainText('Copied from Personal');
  await expectNoSeriousViolations(page, 'a shared copy in the editor');
  await origin.getByRole('button', { name: 'Open the original' }).click();
  await expect(page.getByTestId('edit-title')).toHaveValue('Lasagne (less salt)');
  await expect(page.getByTestId('copied-from')).toHaveCount(0);
});

test('a space is renamed by its guardian, in its members dialog', async ({ page, host }) => {
  await host.call('vault.create', { passphrase: PASSPHRASE, name: NAME });
  await host.call('space.create', { kind: 'shared', name: 'Family', slug: 'family' });
  await page.goto(host.loginUrl);
  await page.getByRole('button', { name: /^Members of Family/ }).click();
  const d = page.getByTestId('members-dialog');
  await d.getByTestId('rename-space').getByLabel('Space name').fill('The Garcias');
  await expectNoSeriousViolations(page, 'members dialog with the space name');
  await d.getByTestId('rename-space').getByRole('button', { name: 'Rename' }).click();
  await expect(d.getByRole('heading', { name: 'Members of The Garcias' })).toBeVisible();
  await d.getByRole('button', { name: 'Close' }).click();
  await expect(page.getByTestId('spaces')).toContainText('The Garcias');
  expect((await host.call<{ space: { name: string } }>('space.get', { space_id: 'shared:family' })).space.name).toBe('The Garcias');
});
