import { expect, newMemory, openUnlocked, test } from './fixtures';

/**
 * The undo queue follows events, not a timer: a staged share with a 3-second window leaves the
 * queue when ACTION_COMMITTED arrives, and the copy shows up in the target space.
 */
test('a short undo window commits by itself and the UI follows the events', async ({ page, host }) => {
  const undoListCalls: number[] = [];
  const undoEvents: string[] = [];
  let callsWhenCommitted = -1;
  page.on('websocket', (ws) => {
    ws.on('framesent', (f) => { if (String(f.payload).includes('"undo.list"')) undoListCalls.push(Date.now()); });
    ws.on('framereceived', (f) => {
      const m = /"topic":"(UNDO_WINDOW_OPENED|UNDO_APPLIED|ACTION_COMMITTED)/.exec(String(f.payload));
      if (m) undoEvents.push(m[1]);
      if (m?.[1] === 'ACTION_COMMITTED') callsWhenCommitted = undoListCalls.length;
    });
  });
  await openUnlocked(page, host);

  // the undo window is a setting: 3 seconds, set from the Settings screen
  await page.getByRole('button', { name: 'Settings' }).click();
  await page.getByLabel('Undo window (seconds)').fill('3');
  await page.getByRole('button', { name: 'Save settings' }).click();
  await expect(page.getByText('Now 3 seconds')).toBeVisible();
  await page.getByRole('button', { name: 'Memories', exact: true }).click();

  await page.getByRole('button', { name: '+ New space' }).click();
  await page.getByTestId('new-space-dialog').getByLabel('Name').fill('Family');
  await page.getByTestId('new-space-dialog').getByRole('button', { name: 'Create space' }).click();
  await page.getByRole('button', { name: /^Personal/ }).click();
  await newMemory(page, { title: 'School login', band: 'AMBER', body: 'user: kid1' });

  await page.getByRole('button', { name: 'Share…' }).click();
  await page.getByTestId('share-consent').check();
  await page.getByTestId('share-dialog').getByRole('button', { name: /Share \(/ }).click();
  await expect(page.getByTestId('share-result')).toContainText('3 seconds');
  await page.getByRole('button', { name: 'Open undo queue' }).click();
  await expect(page.getByTestId('undo-count')).toHaveText('1');
  await page.waitForTimeout(500); // the read that UNDO_WINDOW_OPENED caused has settled
  const callsDuringCountdown = undoListCalls.length;
  await expect(page.getByTestId('undo-empty')).toBeVisible({ timeout: 10_000 });
  await expect(page.getByTestId('undo-count')).toHaveText('0');
  await page.getByTestId('undo-panel').getByRole('button', { name: 'Close' }).click();

  // the committed share is a new memory in Family, counted in the sidebar
  await page.getByRole('button', { name: /^Family/ }).click();
  await expect(page.getByRole('option', { name: /School login/ })).toBeVisible();
  expect(undoEvents).toEqual(expect.arrayContaining(['UNDO_WINDOW_OPENED', 'ACTION_COMMITTED']));
  // while the countdown ran nobody asked the host: the queue changed when ACTION_COMMITTED came
  expect(callsWhenCommitted).toBe(callsDuringCountdown);
});
