import { expect, PASSPHRASE, test, createConfirmedVault } from './fixtures';

/** The same flows by keyboard alone: Tab, typing, Space/Enter, arrows, Escape, and "/". */
test('create, write, find, share and undo by keyboard only', async ({ page, host }) => {
  const kb = page.keyboard;
  await page.goto(host.loginUrl);
  // the name field has focus on arrival
  await expect(page.getByLabel('Your name')).toBeFocused();
  await kb.type('Ann');
  await kb.press('Tab');
  await kb.type(PASSPHRASE);
  await kb.press('Tab');
  await kb.type(PASSPHRASE);
  await kb.press('Enter');
  await expect(page.getByTestId('recovery-key')).toBeVisible();
  const key = (await page.getByTestId('recovery-key').textContent())!.trim();
  await page.getByRole('button', { name: 'Copy to clipboard' }).focus();
  await kb.press('Tab');
  await kb.press('Space'); // the "I have saved it" checkbox
  await kb.press('Tab'); // the check that it was saved: its last group, typed back
  await kb.type(key.split('-').pop()!);
  await kb.press('Tab');
  await kb.press('Enter');
  await expect(page.getByTestId('list-status')).toContainText('0 memories');

  // a new space: focus the button, Enter, type, Enter submits the form
  await page.getByRole('button', { name: '+ New space' }).focus();
  await kb.press('Enter');
  await expect(page.getByTestId('new-space-dialog')).toBeVisible();
  await kb.type('Family');
  await kb.press('Enter');
  await expect(page.getByTestId('spaces')).toContainText('Family');
  await page.getByRole('button', { name: /^Personal/ }).focus();
  await kb.press('Enter');

  // two memories through the dialog, band picked with arrow keys in the radio group
  for (const [title, arrows] of [['Lake trip', 0], ['Wifi at home', 1]] as const) {
    await page.getByRole('button', { name: '+ New memory' }).focus();
    await kb.press('Enter');
    await expect(page.getByTestId('new-title')).toBeFocused();
    await kb.type(title);
    const dialog = page.getByTestId('new-memory-dialog');
    await kb.press('Tab'); // title → the band radio group
    await expect(dialog.getByRole('radio', { name: /^GREEN/ })).toBeFocused();
    for (let i = 0; i < arrows; i++) await kb.press('ArrowRight');
    await expect(dialog.getByTestId('band-explanation')).toContainText(arrows ? 'Amber' : 'Green');
    await kb.press('Tab'); // → text
    await expect(dialog.getByTestId('new-body')).toBeFocused();
    await kb.type(title === 'Wifi at home' ? 'network maple-house' : 'we swam');
    await kb.press('Tab'); // → tags; Enter in a field submits the form
    await kb.press('Enter');
    await expect(page.getByTestId('new-memory-dialog')).toBeHidden();
  }
  await expect(page.getByTestId('list-status')).toContainText('2 memories');

  // Escape closes a dialog
  await page.getByRole('button', { name: '+ New memory' }).focus();
  await kb.press('Enter');
  await expect(page.getByTestId('new-memory-dialog')).toBeVisible();
  await kb.press('Escape');
  await expect(page.getByTestId('new-memory-dialog')).toBeHidden();

  // "/" jumps to search; ArrowDown moves into the results; Enter opens one
  await page.locator('body').click({ position: { x: 5, y: 690 } });
  await kb.press('/');
  await expect(page.getByTestId('search')).toBeFocused();
  await kb.type('maple');
  await expect(page.getByTestId('list-status')).toContainText('1 result');
  await kb.press('ArrowDown');
  await expect(page.getByTestId('memory-list')).toBeFocused();
  await kb.press('Enter');
  await expect(page.getByTestId('edit-title')).toHaveValue('Wifi at home');

  // arrow keys walk the list
  await page.getByTestId('search').fill('');
  await page.getByTestId('memory-list').focus();
  await kb.press('Home');
  await kb.press('ArrowDown');
  await kb.press('Enter');
  await expect(page.getByTestId('edit-title')).toHaveValue('Lake trip');
  await kb.press('ArrowUp');
  await kb.press('Enter');
  await expect(page.getByTestId('edit-title')).toHaveValue('Wifi at home');

  // share with consent, then undo from the queue, all by keyboard
  await page.getByRole('button', { name: 'Share…' }).focus();
  await kb.press('Enter');
  await page.getByTestId('share-consent').focus();
  await kb.press('Space');
  await page.getByTestId('share-dialog').getByRole('button', { name: /Share \(/ }).focus();
  await kb.press('Enter');
  await expect(page.getByTestId('share-result')).toContainText('Staged');
  await page.getByRole('button', { name: 'Open undo queue' }).focus();
  await kb.press('Enter');
  await page.getByTestId('undo-panel').getByRole('button', { name: 'Undo' }).focus();
  await kb.press('Enter');
  await expect(page.getByTestId('undo-empty')).toBeVisible();
  await kb.press('Escape');
  await expect(page.getByTestId('undo-panel')).toBeHidden();

  // lock and unlock
  await page.getByRole('button', { name: 'Lock' }).focus();
  await kb.press('Enter');
  await expect(page.getByRole('textbox', { name: 'Passphrase' })).toBeFocused();
  await kb.type(PASSPHRASE);
  await kb.press('Enter');
  await expect(page.getByTestId('list-status')).toContainText('2 memories');
});

test('every interactive element of the main screen is reachable with Tab', async ({ page, host }) => {
  await createConfirmedVault(host, 'Ann');
  await page.goto(host.loginUrl);
  await expect(page.getByTestId('list-status')).toContainText('0 memories');
  const reached = new Set<string>();
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press('Tab');
    reached.add(await page.evaluate(() => {
      const el = document.activeElement as HTMLElement | null;
      return el ? (el.getAttribute('aria-label') || el.textContent || el.getAttribute('placeholder') || el.tagName).trim().slice(0, 40) : '';
    }));
  }
  for (const name of ['Memories', 'Devices & sync', 'Audit log', 'Diagnostics', 'Settings', 'Lock', '+ New space', '+ New memory']) {
    expect([...reached].some((r) => r.includes(name)), `${name} reachable by Tab; reached: ${[...reached].join(' | ')}`).toBe(true);
  }
});
