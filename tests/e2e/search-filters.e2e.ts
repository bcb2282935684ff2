import type { Page } from '@playwright/test';
import { expectNoSeriousViolations } from './axe';
import { expect, openUnlocked, test } from './fixtures';

/**
 * Issue "the app a family would keep", defect 5 and item 7: search ignored the tag, person and
 * date filters (tag "health" listed 3, typing "Leo" then said "200 results", a cap shown as a
 * count). Now every filter applies to search, the count is true or "200+", matches are marked
 * with <mark>, and a sort control orders the list.
 */

const titles = async (page: Page): Promise<string[]> =>
  (await page.getByTestId('memory-list').getByTestId('hit-title').allTextContents()).map((t) => t.replace(/^\s*(GREEN|AMBER|RED|BLACK)\s*/, '').trim());

test('defect 5: a tag filter holds while typing a query; the count is true or 200+; <mark> highlights; the sort control changes the order', async ({ page, host }) => {
  await openUnlocked(page, host);
  const { spaces } = await host.call<{ spaces: { space_id: string }[] }>('space.list', {});
  const personal = spaces.find((s) => s.space_id.startsWith('personal:'))!.space_id;
  const make = (title: string, p: Record<string, unknown> = {}) => host.call('memory.create', { space_id: personal, type: 'episodic', band: 'GREEN', title, ...p });
  await make("Leo's dentist", { body: 'Checkup with the dentist.', tags: ['health'], people: ['Leo'], occurred_at: '2026-03-10T00:00:00.000Z' });
  await make('Flu shot', { body: 'Leo and Mia got the vaccine.', tags: ['health'], people: ['Leo', 'Mia'], occurred_at: '2026-01-05T00:00:00.000Z' });
  await make('Peanut allergy', { body: 'Mia reacts to peanuts.', tags: ['health'], people: ['Mia'], occurred_at: '2025-12-31T00:00:00.000Z' });
  for (let i = 0; i < 205; i++) await make(`Note ${i}`, { body: 'Leo and the grocery list', tags: ['bulk'] });
  await page.reload();
  await expect(page.getByRole('navigation', { name: 'Screens' })).toBeVisible();
  const status = page.getByTestId('list-status');
  await expect(status).toHaveText('208 memories');

  // the tag alone: the three health memories
  await page.getByText('Filters').click();
  await page.getByLabel('Filter by tag').fill('health');
  await expect(status).toHaveText('3 memories');
  await expectNoSeriousViolations(page, 'the filter panel, with a tag set');

  // typing a query keeps the tag: two of them name Leo, and the count says so
  await page.getByTestId('search').fill('Leo');
  await expect(status).toContainText('2 results for “Leo”');
  await expect(status).not.toContainText('200');
  await expect(page.getByLabel('Filter by tag')).toHaveValue('health');
  expect(new Set(await titles(page))).toEqual(new Set(["Leo's dentist", 'Flu shot']));

  // what matched is marked, from the core's ranges (title and snippet), as text
  const list = page.getByTestId('memory-list');
  await expect(list.locator('mark').first()).toBeVisible();
  for (const m of await list.locator('mark').allTextContents()) expect(m.toLowerCase()).toBe('leo');
  await expect(page.getByRole('option', { name: /Leo's dentist/ }).getByTestId('hit-title').locator('mark')).toHaveText('Leo');

  // the sort control changes the order: when it happened, then when it was written
  const sort = page.getByLabel('Sort by');
  await expect(sort).toHaveValue('relevance');
  await sort.selectOption('happened');
  await expect.poll(() => titles(page)).toEqual(["Leo's dentist", 'Flu shot']);
  await sort.selectOption('created');
  await expect.poll(() => titles(page)).toEqual(['Flu shot', "Leo's dentist"]);
  await expect(page.getByRole('option', { name: /Flu shot/ })).toContainText('Written');
  await expectNoSeriousViolations(page, 'search results with a filter and a sort');

  // one typo in a longer word still finds it
  await sort.selectOption('relevance');
  await page.getByTestId('search').fill('dentsit');
  await expect(status).toContainText('1 result for “dentsit”');
  await expect(list.locator('mark').first()).toHaveText('dentist');

  // without the tag, "Leo" matches more than the cap: "200+", never the cap as a count
  await page.getByRole('button', { name: 'Clear filters' }).click();
  await page.getByTestId('search').fill('Leo');
  await expect(status).toContainText('200+ results for “Leo”');

  // no query: a filter only search knows (a place) and an order list the matching memories
  await page.getByTestId('search').fill('');
  await expect(status).toHaveText('208 memories');
  await page.getByLabel('Filter by person').fill('Mia');
  await expect(status).toHaveText('2 memories');
  await sort.selectOption('happened');
  await expect.poll(() => titles(page)).toEqual(['Flu shot', 'Peanut allergy']);
  await expect(page.getByRole('option', { name: /Flu shot/ })).toContainText('Happened');
  await expectNoSeriousViolations(page, 'filtered list sorted by when it happened');
});
