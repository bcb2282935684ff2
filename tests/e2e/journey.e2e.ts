import { editBody, expect, newMemory, PASSPHRASE, test } from './fixtures';
import { snap } from './screenshots';

/**
 * The whole journey of issue 3 in one browser session against a real host process:
 * create vault → unlock → create space → a memory of each band → search → share AMBER →
 * countdown in the undo queue → undo → a long Markdown note → trash and restore → a share with
 * its pending banner, undone there → verify audit → lock and unlock → a child's profile on the
 * same computer, switched to with its PIN, seeing what the child may see, and back.
 */
test('a person keeps, finds, shares, takes back and audits memories', async ({ page, host }) => {
  // ---- create the vault: strength feedback, recovery key shown once ----
  await page.goto(host.loginUrl);
  await expect(page).toHaveURL(/\/$/); // the token left the address bar
  await page.getByLabel('Passphrase', { exact: true }).fill('abc');
  await expect(page.getByTestId('strength')).toContainText('Very weak');
  await expect(page.getByRole('button', { name: 'Create vault' })).toBeDisabled();
  await page.getByLabel('Your name').fill('Ann');
  await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
  await expect(page.getByTestId('strength')).toContainText(/Strong|Very strong/);
  await page.getByLabel('Repeat the passphrase').fill(PASSPHRASE);
  await snap(page, '01-create-vault');
  await page.getByRole('button', { name: 'Create vault' }).click();
  const recoveryKey = (await page.getByTestId('recovery-key').textContent())!.trim();
  expect(recoveryKey).toMatch(/^[0-9A-Z]{4}(-[0-9A-Z]{4})+$/);
  await expect(page.getByRole('button', { name: 'Continue to my vault' })).toBeDisabled();
  await snap(page, '02-recovery-key');
  await page.getByLabel('I have saved my recovery key somewhere safe.').check();
  await page.getByLabel('Type the last group of your key').fill(recoveryKey.split('-').pop()!);
  await page.getByRole('button', { name: 'Continue to my vault' }).click();

  // ---- a space, shown with its kind ----
  await page.getByRole('button', { name: '+ New space' }).click();
  const ns = page.getByTestId('new-space-dialog');
  await ns.getByLabel('Name').fill('Family');
  await ns.getByLabel('Kind').selectOption('shared');
  await ns.getByRole('button', { name: 'Create space' }).click();
  await expect(page.getByTestId('spaces')).toContainText('Family');
  await expect(page.getByTestId('spaces')).toContainText('Shared');

  // ---- one memory of each band, in the personal space ----
  await page.getByRole('button', { name: /^Personal/ }).click();
  await newMemory(page, { title: 'Trip to the lake', band: 'GREEN', body: 'We swam at the north shore and grilled corn.', tags: 'trip, summer', people: 'Grandma' });
  await newMemory(page, { title: 'Wifi at home', band: 'AMBER', body: 'Network maple-house, ask ann@example.com for the password.', tags: 'home', type: 'semantic' });
  await newMemory(page, { title: 'Doctor notes', band: 'RED', body: 'Allergy to penicillin.', tags: 'health' });
  await newMemory(page, { title: 'Safe combination', band: 'BLACK', body: '12-34-56' });
  await expect(page.getByTestId('list-status')).toContainText('4 memories');

  // the editor saves by itself
  await page.getByRole('option', { name: /Trip to the lake/ }).click();
  await (await editBody(page)).fill('We swam at the north shore, grilled corn and saw a heron.');
  await expect(page.getByTestId('save-state')).toHaveText('All changes saved', { timeout: 10_000 });

  // ---- filters ----
  await page.getByText('Filters').click();
  await page.getByLabel('Filter by band').selectOption('AMBER');
  await expect(page.getByTestId('list-status')).toContainText('1 memory');
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await expect(page.getByTestId('list-status')).toContainText('4 memories');

  // ---- instant search with band-aware snippets ----
  await page.getByTestId('search').fill('heron');
  await expect(page.getByTestId('list-status')).toContainText('1 result');
  await expect(page.getByTestId('memory-list').locator('mark').first()).toHaveText(/heron/i);
  await page.getByTestId('search').fill('');
  await snap(page, '03-memories');

  // ---- share the AMBER memory into Family: consent, staged ----
  await page.getByRole('option', { name: /Wifi at home/ }).click();
  await page.getByRole('button', { name: 'Share…' }).click();
  const share = page.getByTestId('share-dialog');
  await share.getByTestId('share-target').selectOption({ label: 'Family (Shared)' });
  await expect(share.getByTestId('share-decision')).toContainText('Denied');
  await expect(share.getByTestId('share-reasons')).toContainText('CONSENT_REQUIRED');
  await expect(share.getByTestId('share-remedies')).toContainText('consent');
  await share.getByTestId('share-consent').check();
  await expect(share.getByTestId('share-decision')).toContainText('Allowed');
  await expect(share.getByTestId('share-decision')).toContainText('undo window');
  await snap(page, '04-share-dialog');
  await share.getByRole('button', { name: /Share/ }).last().click();
  await expect(share.getByTestId('share-result')).toContainText('Staged');
  await share.getByRole('button', { name: 'Open undo queue' }).click();

  // ---- the undo queue: badge, live countdown, undo ----
  await expect(page.getByTestId('undo-count')).toHaveText('1');
  const panel = page.getByTestId('undo-panel');
  const countdown = panel.getByTestId('countdown');
  const first = await countdown.textContent();
  expect(first).toMatch(/^1[45]:\d\d$/);
  await expect(countdown).not.toHaveText(first!, { timeout: 5_000 }); // it ticks
  await snap(page, '05-undo-queue');
  await panel.getByRole('button', { name: 'Undo' }).click();
  await expect(panel.getByTestId('undo-empty')).toBeVisible();
  await expect(page.getByTestId('undo-count')).toHaveText('0');
  await panel.getByRole('button', { name: 'Close' }).click();

  // a RED memory cannot be shared: the dialog says why and what would allow it
  await page.getByRole('option', { name: /Doctor notes/ }).click();
  await page.getByRole('button', { name: 'Share…' }).click();
  await expect(share.getByTestId('share-reasons')).toContainText('BAND_BLOCKS_SHARE');
  await expect(share.getByTestId('share-remedies')).toContainText('Lower the band');
  await share.getByRole('button', { name: 'Cancel' }).click();

  // ---- a long Markdown note: written as text, read rendered, its checklist ticked ----
  await page.getByRole('option', { name: /Trip to the lake/ }).click();
  const note = [
    '# Lake weekend', '', 'We swam at the north shore, grilled corn and saw a **heron**.', '',
    '## Next time', '', '- [ ] bring the big cooler', '- [ ] book the cabin by _May_', '- [x] check the ferry times', '',
    '1. leave at seven', '2. lunch at the pier', '', '> Grandma: the water is warmest in August.', '',
    ...Array.from({ length: 30 }, (_, i) => `Day ${i + 1}: a line of what we did, long enough to scroll the pane.`),
  ].join('\n');
  await (await editBody(page)).fill(note);
  await page.keyboard.press('Escape');
  const view = page.getByTestId('body-view');
  await expect(view.getByRole('heading', { name: 'Next time' })).toBeVisible();
  await view.getByRole('checkbox', { name: 'bring the big cooler' }).check();
  await expect(page.getByTestId('save-state')).toHaveText('All changes saved', { timeout: 10_000 });

  // ---- deleted to the trash and restored from it ----
  await page.getByTestId('editor').getByRole('button', { name: 'Delete', exact: true }).click();
  await page.getByRole('dialog').getByRole('button', { name: 'Delete', exact: true }).click();
  await expect(page.getByTestId('notice')).toContainText('Moved to the trash.');
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Trash', exact: true }).click();
  await page.getByTestId('trash-item').filter({ hasText: 'Trip to the lake' }).getByRole('button', { name: /^Restore/ }).click();
  await expect(page.getByTestId('trash-empty')).toBeVisible();
  await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Memories', exact: true }).click();
  await expect(page.getByTestId('list-status')).toContainText('4 memories');

  // ---- a share with its pending banner on the memory, undone there ----
  await page.getByRole('option', { name: /Wifi at home/ }).click();
  await page.getByRole('button', { name: 'Share…' }).click();
  await share.getByTestId('share-target').selectOption({ label: 'Family (Shared)' });
  await share.getByTestId('share-consent').check();
  await share.getByRole('button', { name: /Share \(/ }).click();
  await share.getByRole('button', { name: 'Done' }).click();
  const banner = page.getByTestId('pending-banner');
  await expect(banner).toContainText('Sharing into Family');
  await banner.getByRole('button', { name: 'Undo' }).click();
  await expect(banner).toHaveCount(0);
  await expect(page.getByTestId('undo-count')).toHaveText('0');

  // ---- audit log: verify the chain ----
  await page.getByRole('button', { name: 'Audit log' }).click();
  await page.getByRole('button', { name: 'Verify chain' }).click();
  await expect(page.getByTestId('audit-verify')).toContainText('Chain valid');
  await expect(page.getByTestId('audit-table')).toContainText('UNDO_APPLIED');
  await snap(page, '06-audit-log');

  // ---- diagnostics ----
  await page.getByRole('button', { name: 'Diagnostics' }).click();
  await expect(page.getByTestId('health-status')).toHaveText('ok');
  await snap(page, '07-diagnostics');

  // ---- lock, then unlock by passphrase, then by recovery key ----
  await page.getByRole('button', { name: 'Lock' }).click();
  await expect(page.getByRole('heading', { name: /Unlock/ })).toBeVisible();
  await snap(page, '08-unlock');
  await page.getByRole('textbox', { name: 'Passphrase' }).fill('not the passphrase');
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByRole('alert')).toContainText('does not open');
  await page.getByRole('textbox', { name: 'Passphrase' }).fill(PASSPHRASE);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByTestId('list-status')).toContainText('4 memories');

  await page.getByRole('button', { name: 'Lock' }).click();
  await page.getByRole('tab', { name: 'Recovery key' }).click();
  await page.getByRole('textbox', { name: 'Recovery key' }).fill(recoveryKey);
  await page.getByRole('button', { name: 'Unlock' }).click();
  await expect(page.getByTestId('list-status')).toContainText('4 memories');

  // ---- a child's profile on this computer: switched to with its PIN, sees what a child may ----
  const { member: leo } = await host.call<{ member: { member_id: string } }>('member.create', { name: 'Leo' });
  await host.call('space.addMember', { space_id: 'shared:family', member_id: leo.member_id, role: 'child' });
  await host.call('member.setPin', { member_id: leo.member_id, pin: '4321' });
  await host.call('memory.create', { space_id: 'shared:family', type: 'semantic', band: 'AMBER', title: 'School pickup', body: 'Text ann@example.com when you are at the gate.' });
  await host.call('memory.create', { space_id: 'shared:family', type: 'semantic', band: 'RED', title: 'Birthday present', body: 'A telescope, hidden in the attic.' });
  await page.getByTestId('profile-button').click();
  const profiles = page.getByTestId('profiles-dialog');
  await profiles.getByTestId('switch-to-Leo').click();
  await profiles.getByTestId('profile-pin').fill('4321');
  await profiles.getByTestId('profile-pin-submit').click();
  await expect(page.getByTestId('profile-button')).toHaveText('Profile: Leo');
  await expect(page.getByTestId('spaces')).not.toContainText('Personal'); // Ann's own space is not Leo's
  await page.getByTestId('spaces').getByRole('button', { name: /^Family/ }).click();
  const childList = page.getByTestId('memory-list');
  await expect(childList).toContainText('School pickup');
  await expect(childList).not.toContainText('ann@example.com');
  await expect(childList).not.toContainText('telescope');
  await expect(childList).not.toContainText('Doctor notes');
  await page.getByTestId('profile-button').click();
  await profiles.getByTestId('switch-to-Ann').click();
  await expect(page.getByTestId('profile-button')).toHaveText('Profile: Ann');
  await expect(page.getByTestId('spaces')).toContainText('Personal');
});
