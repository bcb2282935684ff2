import { expectNoSeriousViolations } from './axe';
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

    await page.getByRole('button', { name: 'Audit log' }).click();
    await page.getByRole('button', { name: 'Verify chain' }).click();
    await expect(page.getByTestId('audit-verify')).toContainText('Chain valid');
    await expectNoSeriousViolations(page, 'audit log');
    await page.getByRole('button', { name: 'Diagnostics' }).click();
    await expect(page.getByTestId('health-table')).toBeVisible();
    await expectNoSeriousViolations(page, 'diagnostics');
    await page.getByRole('button', { name: 'Settings' }).click();
    await expectNoSeriousViolations(page, 'settings');

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
