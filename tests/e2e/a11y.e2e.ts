import { join } from 'node:path';
import { expectNoSeriousViolations } from './axe';
import { ROOT } from './host-process';
import { expect, newMemory, PASSPHRASE, test } from './fixtures';
import { snap } from './screenshots';

for (const theme of ['light', 'dark'] as const) {
  test(`every screen passes axe-core in the ${theme} theme`, async ({ page, host }) => {
    await page.emulateMedia({ colorScheme: theme });
    await page.goto(host.loginUrl);
    await expect(page.getByRole('heading', { name: 'Create your vault' })).toBeVisible();
    await page.getByLabel('Passphrase', { exact: true }).fill('weak');
    await expectNoSeriousViolations(page, 'create vault');

    await page.getByLabel('Your name').fill('Ann');
    await page.getByLabel('Passphrase', { exact: true }).fill(PASSPHRASE);
    await page.getByLabel('Repeat the passphrase').fill(PASSPHRASE);
    await page.getByRole('button', { name: 'Create vault' }).click();
    await expect(page.getByTestId('recovery-key')).toBeVisible();
    await expectNoSeriousViolations(page, 'recovery key');
    await page.getByLabel('I have saved my recovery key somewhere safe.').check();
    await page.getByLabel('Type the last group of your key').fill('ZZZZ');
    await expectNoSeriousViolations(page, 'recovery kit, the check refused');
    await page.getByLabel('Type the last group of your key').fill((await page.getByTestId('recovery-key').textContent())!.trim().split('-').pop()!);
    await page.getByRole('button', { name: 'Continue to my vault' }).click();

    await expect(page.getByTestId('list-status')).toContainText('0 memories');
    await expectNoSeriousViolations(page, 'empty memories');

    await page.getByRole('button', { name: '+ New space' }).click();
    await expectNoSeriousViolations(page, 'new space dialog');
    await page.getByTestId('new-space-dialog').getByLabel('Name').fill('Family');
    await page.getByTestId('new-space-dialog').getByRole('button', { name: 'Create space' }).click();
    await page.getByRole('button', { name: /^Members of Family/ }).click();
    await expectNoSeriousViolations(page, 'members dialog');
    await page.getByTestId('members-dialog').getByRole('button', { name: 'Close' }).click();

    await page.getByRole('button', { name: /^Personal/ }).click();
    await page.getByRole('button', { name: '+ New memory' }).click();
    await expectNoSeriousViolations(page, 'new memory dialog');
    await page.getByTestId('new-memory-dialog').getByRole('button', { name: 'Cancel' }).click();
    await newMemory(page, { title: 'Wifi at home', band: 'AMBER', body: 'ask ann@example.com', tags: 'home' });
    await newMemory(page, { title: 'Lake trip', band: 'GREEN', body: 'we swam' });
    await page.getByText('Filters').click();
    await expectNoSeriousViolations(page, 'memories with editor and filters');
    await page.getByTestId('search').fill('wifi');
    await expect(page.getByTestId('list-status')).toContainText('1 result');
    await expectNoSeriousViolations(page, 'search results');
    await page.getByTestId('search').fill('');

    await page.getByRole('option', { name: /Wifi at home/ }).click();
    await page.getByRole('button', { name: 'Share…' }).click();
    await expectNoSeriousViolations(page, 'share dialog');
    await page.getByTestId('share-consent').check();
    await page.getByTestId('share-dialog').getByRole('button', { name: /Share \(/ }).click();
    await page.getByRole('button', { name: 'Open undo queue' }).click();
    await expect(page.getByTestId('undo-item')).toHaveCount(1);
    await expectNoSeriousViolations(page, 'undo queue');
    await page.getByTestId('undo-panel').getByRole('button', { name: 'Close' }).click();
    await expect(page.getByTestId('pending-banner')).toBeVisible();
    await expectNoSeriousViolations(page, 'a memory with its pending share');

    // ---- the screens and dialogs of issue 10 ----
    await newMemory(page, { title: 'Packing', band: 'GREEN', body: '# Lake\n\nBring **towels** and [the map](https://example.com).\n\n- [ ] passports\n- [x] tickets\n\n> take a jumper\n\n<img src=x onerror=alert(1)>' });
    await expect(page.getByTestId('body-view').getByRole('checkbox', { name: 'passports' })).toBeVisible();
    await page.getByRole('button', { name: 'What do the bands mean?' }).click();
    await expectNoSeriousViolations(page, 'editor with rendered Markdown, chips and the band explained');
    await page.getByRole('button', { name: 'Edit text' }).click();
    await expectNoSeriousViolations(page, 'editor, editing the text');
    await page.keyboard.press('Escape');
    await page.keyboard.press('Control+k');
    await expect(page.getByTestId('command-palette')).toBeVisible();
    await expectNoSeriousViolations(page, 'command palette');
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: 'Keyboard shortcuts' }).first().click();
    await expect(page.getByTestId('shortcuts-sheet')).toBeVisible();
    await expectNoSeriousViolations(page, 'shortcuts sheet');
    await page.keyboard.press('Escape');
    await page.getByRole('button', { name: /^Members of Personal/ }).click();
    await expectNoSeriousViolations(page, 'members dialog of a personal space');
    await page.getByTestId('members-dialog').getByRole('button', { name: 'Close' }).click();
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Trash', exact: true }).click();
    await expect(page.getByTestId('trash-empty')).toBeVisible();
    await expectNoSeriousViolations(page, 'empty trash');
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Memories', exact: true }).click();
    await page.getByRole('option', { name: /Packing/ }).click();
    await page.getByTestId('editor').getByRole('button', { name: 'Delete', exact: true }).click();
    await expectNoSeriousViolations(page, 'delete dialog');
    await page.getByRole('dialog').getByRole('button', { name: 'Delete', exact: true }).click();
    await expect(page.getByTestId('notice').getByRole('button', { name: 'Undo' })).toBeVisible();
    await expectNoSeriousViolations(page, 'toast with Undo');
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Trash', exact: true }).click();
    await expect(page.getByTestId('trash-item')).toHaveCount(1);
    await expectNoSeriousViolations(page, 'trash with a memory');
    await page.getByRole('button', { name: 'What is encrypted' }).first().click();
    await expect(page.getByTestId('encryption-page')).toBeVisible();
    await expectNoSeriousViolations(page, 'what is encrypted');

    await page.getByRole('button', { name: 'Audit log' }).click();
    await page.getByRole('button', { name: 'Verify chain' }).click();
    await expect(page.getByTestId('audit-verify')).toContainText('Chain valid');
    await expectNoSeriousViolations(page, 'audit log');
    await page.getByRole('button', { name: 'Diagnostics' }).click();
    await expect(page.getByTestId('health-table')).toBeVisible();
    await expectNoSeriousViolations(page, 'diagnostics');
    await page.getByRole('button', { name: 'Settings' }).click();
    await expectNoSeriousViolations(page, 'settings');
    await page.getByRole('navigation', { name: 'Screens' }).getByRole('button', { name: 'Privacy', exact: true }).click();
    await expect(page.getByRole('heading', { name: /Privacy/ }).first()).toBeVisible();
    await expectNoSeriousViolations(page, 'privacy center');

    // ---- issue 12: the import dialog, and files in the editor ----
    await page.getByTestId('open-import').click();
    const imp = page.getByTestId('import-dialog');
    await expectNoSeriousViolations(page, 'import dialog');
    await imp.getByLabel('Where the export is (a folder or a file)').fill(join(ROOT, 'tests', 'fixtures', 'import', 'obsidian'));
    await imp.getByRole('button', { name: 'Check the export' }).click();
    await expect(imp.getByTestId('import-preview')).toBeVisible();
    await expectNoSeriousViolations(page, 'import dry run');
    await imp.getByTestId('import-start').click();
    await expect(imp.getByTestId('import-report')).toBeVisible();
    await expectNoSeriousViolations(page, 'import report');
    await imp.getByRole('button', { name: 'Show the space' }).click();
    await page.getByRole('option', { name: /^GREEN Apple crumble/ }).click();
    await expect(page.getByTestId('body-view').getByRole('img', { name: 'garden.png' })).toBeVisible();
    await page.getByTestId('file-picker').setInputFiles(join(ROOT, 'tests', 'fixtures', 'import', 'enex', 'packing-list.pdf'));
    await expect(page.getByTestId('attachments').getByTestId('file-chip').filter({ hasText: 'packing-list.pdf' })).toBeVisible();
    await expectNoSeriousViolations(page, 'editor with an image and file chips');

    await page.getByRole('button', { name: 'Memories', exact: true }).click();
    if (theme === 'dark') await snap(page, '09-memories-dark');
    await page.getByRole('button', { name: 'Lock' }).click();
    await expect(page.getByRole('heading', { name: /Unlock/ })).toBeVisible();
    await expectNoSeriousViolations(page, 'unlock');
  });
}

test('the connection problem screen (no login token) passes axe-core', async ({ page, host }) => {
  await page.goto(host.origin + '/');
  await expect(page.getByRole('heading', { name: 'Cannot reach MemoryOS' })).toBeVisible();
  await expectNoSeriousViolations(page, 'no token');
});
