import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { expectNoSeriousViolations } from './axe';
import { createConfirmedVault, editBody, expect, newMemory, openUnlocked, test } from './fixtures';
import { ROOT, startHostProcess, type HostProcess } from './host-process';
import { snap } from './screenshots';

/**
 * Issue 12, item 3 (the renderer): a memory's text rendered as Markdown and inert, the import
 * dialog on the fixture exports (dry run → import → report), and files in the editor — an image
 * dropped on the text and one pasted while writing, shown inline; another file as a chip.
 */

const FIXTURES = join(ROOT, 'tests', 'fixtures', 'import');

async function byTitle(host: HostProcess, title: string) {
  const { memories } = await host.call<{ memories: { memory_id: string; title: string; body: string }[] }>('memory.list', {});
  const m = memories.find((x) => x.title === title);
  if (!m) throw new Error(`no memory titled ${title}`);
  return m;
}

test('a memory’s text is rendered as Markdown, and nothing in it runs', async ({ page, host }) => {
  const dialogs: string[] = [];
  page.on('dialog', (d) => { dialogs.push(d.message()); void d.dismiss(); });
  await openUnlocked(page, host);
  await newMemory(page, {
    title: 'Recipe card', band: 'GREEN', body: [
      '# Apple pie', '', 'A ~~quick~~ slow one, from [the family site](https://example.com/pie).', '',
      '| what | how much |', '|---|---|', '| apples | 6 |', '',
      '<img src=x onerror="window.__pwned=1">', '',
      '[click me](javascript:window.__pwned=2) and [this too](data:text/html,<script>window.__pwned=3</script>)', '',
      '![tracker](https://tracker.example/pixel.png)',
    ].join('\n'),
  });
  const view = page.getByTestId('body-view');
  await expect(view.getByRole('heading', { name: 'Apple pie' })).toBeVisible();
  await expect(view.locator('del')).toHaveText('quick');
  await expect(view.getByRole('cell', { name: 'apples' })).toBeVisible();
  await expect(view.getByRole('link', { name: 'the family site' })).toHaveAttribute('href', 'https://example.com/pie');
  // the raw HTML is its text; the javascript: and data: links are words without a target; the
  // remote image is not loaded (a link to it at most)
  await expect(view).toContainText('<img src=x onerror="window.__pwned=1">');
  await expect(view.locator('img, script, iframe, object, [onerror]')).toHaveCount(0);
  await expect(view.locator('a[href^="javascript:" i], a[href^="data:" i]')).toHaveCount(0);
  await expect(view.getByText('click me')).toBeVisible();
  await view.getByText('click me').click();
  await page.keyboard.press('Escape');
  await expect(view.getByRole('link', { name: 'image: tracker' })).toHaveAttribute('href', 'https://tracker.example/pixel.png');
  expect(await page.evaluate(() => (window as unknown as { __pwned?: number }).__pwned)).toBeUndefined();
  expect(dialogs).toEqual([]);
});

test('import: a Markdown folder through the dry run, the import and its report; a second run finds it all there', async ({ page, host }) => {
  await openUnlocked(page, host);
  // from the sidebar, where the spaces are
  await page.getByTestId('open-import').click();
  const d = page.getByTestId('import-dialog');
  await expect(d.getByRole('heading', { name: 'Import notes from another app' })).toBeVisible();
  // a relative path is refused here, before the core is asked
  await d.getByLabel('Where the export is (a folder or a file)').fill('Notes/obsidian');
  await d.getByRole('button', { name: 'Check the export' }).click();
  await expect(d.getByTestId('import-error')).toContainText('whole path');
  await d.getByLabel('Where the export is (a folder or a file)').fill(join(FIXTURES, 'obsidian'));
  await d.getByRole('button', { name: 'Check the export' }).click();

  // the dry run: the format found, what would come in, what cannot be read and why
  const preview = d.getByTestId('import-preview');
  await expect(preview).toBeVisible();
  await expect(d.getByTestId('import-format')).toHaveText('Markdown folder (Obsidian and others)');
  await expect(d.getByTestId('import-count')).toHaveText('3');
  await expect(d.getByTestId('import-duplicates')).toHaveText('0');
  await expect(d.getByTestId('import-failed-count')).toHaveText('1');
  await expect(d.getByTestId('import-failures')).toContainText('Trips/Broken front matter.md');
  await expect(preview.getByRole('status')).toHaveText('3 memories would be imported, 1 item could not be read (of 4 items read).');
  // nothing written yet
  expect((await host.call<{ memories: unknown[] }>('memory.list', {})).memories).toHaveLength(0);
  await expectNoSeriousViolations(page, 'the import dialog after its dry run');
  await snap(page, '25-import-dry-run');

  await d.getByTestId('import-start').click();
  const report = d.getByTestId('import-report');
  await expect(report).toBeVisible();
  await expect(d.getByRole('heading', { name: 'Import finished' })).toBeVisible();
  await expect(report.getByTestId('import-count')).toHaveText('3');
  await expect(report.getByTestId('import-failures')).toContainText('Trips/Broken front matter.md');
  await snap(page, '26-import-report');
  await d.getByRole('button', { name: 'Show the space' }).click();
  await expect(d).toBeHidden();
  await expect(page.getByTestId('memory-list').getByText('Apple crumble (Grandma Rosa)')).toBeVisible();
  expect((await byTitle(host, 'Apple crumble (Grandma Rosa)')).body).toMatch(/!\[garden\.png\]\(attachment:[0-9A-Z]{26}\)/);
  // the note's embedded picture came with it, and shows where the note had it
  await page.getByTestId('memory-list').getByText('Apple crumble (Grandma Rosa)').click();
  const image = page.getByTestId('body-view').getByRole('img', { name: 'garden.png' });
  await expect(image).toBeVisible();
  expect(await image.evaluate((i: HTMLImageElement) => i.naturalWidth)).toBeGreaterThan(0);
  await expect(page.getByTestId('body-view')).toContainText('Heat the oven to 180 °C.');
  // [[wiki links]] between the imported notes open the note they name
  await page.getByTestId('body-view').getByRole('button', { name: 'Welcome' }).click();
  await expect(page.getByTestId('edit-title')).toHaveValue('Welcome');
  await page.getByTestId('body-view').getByRole('button', { name: 'Lisbon trip' }).click();
  await expect(page.getByTestId('edit-title')).toHaveValue('Lisbon 2024');
  // the front matter fields not mapped stay with the note, as its properties
  await expect(page.getByTestId('body-view').locator('.md-front-matter')).toContainText('rating: 5');
  await expect(page.getByTestId('body-view').getByRole('img', { name: 'Garden view' })).toBeVisible();

  // the same folder again: everything is already here, so there is nothing to import
  await page.getByTestId('open-import').click();
  await d.getByLabel('Where the export is (a folder or a file)').fill(join(FIXTURES, 'obsidian'));
  await d.getByRole('button', { name: 'Check the export' }).click();
  await expect(d.getByTestId('import-duplicates')).toHaveText('3');
  await expect(d.getByTestId('import-count')).toHaveText('0');
  await expect(d.getByTestId('import-start')).toBeDisabled();
});

test('import: a file that is no export says so in words; an ENEX file is recognised and imported', async ({ page, host }) => {
  await openUnlocked(page, host);
  await page.getByTestId('open-import').click();
  const d = page.getByTestId('import-dialog');
  await d.getByLabel('Where the export is (a folder or a file)').fill(join(FIXTURES, 'README.md'));
  await d.getByRole('button', { name: 'Check the export' }).click();
  await expect(d.getByTestId('import-error')).toHaveText('MemoryOS does not recognise what is there as an export it reads. Check the path, or choose the format.');
  // a path where nothing is
  await d.getByLabel('Where the export is (a folder or a file)').fill(join(FIXTURES, 'no such export'));
  await d.getByRole('button', { name: 'Check the export' }).click();
  await expect(d.getByTestId('import-error')).toHaveText('There is nothing at that path on this computer. Check it, and that the export is finished.');

  await d.getByLabel('Where the export is (a folder or a file)').fill(join(FIXTURES, 'enex', 'family.enex'));
  await d.getByRole('button', { name: 'Check the export' }).click();
  await expect(d.getByTestId('import-format')).toHaveText('Evernote (.enex)');
  await d.getByTestId('import-start').click();
  await expect(d.getByTestId('import-report')).toBeVisible();
  await expect(d.getByTestId('import-report').getByTestId('import-count')).toHaveText('3');
  await expect(d.getByTestId('import-failures')).toContainText('family.enex#3');
});

test('import: a folder of a few thousand notes moves the progress bar on the way to its report', async ({ page, host }) => {
  const NOTES = 4000;
  const dir = mkdtempSync(join(tmpdir(), 'memoryos-e2e-notes-'));
  try {
    for (let f = 0; f < 20; f++) {
      mkdirSync(join(dir, `Folder ${f}`));
      for (let i = 0; i < NOTES / 20; i++) writeFileSync(join(dir, `Folder ${f}`, `Note ${i}.md`), `---\ntags: [bulk]\n---\n# Note ${f}-${i}\n\nSome text for note ${i} of folder ${f}.\n`);
    }
    await openUnlocked(page, host);
    await page.getByTestId('open-import').click();
    const d = page.getByTestId('import-dialog');
    await d.getByLabel('Where the export is (a folder or a file)').fill(dir);
    await d.getByRole('button', { name: 'Check the export' }).click();
    await expect(d.getByTestId('import-count')).toHaveText(String(NOTES), { timeout: 60_000 });
    // every value the bar takes, as the page draws it (JOB_STATUS_CHANGED events, 4 a second)
    await page.evaluate(() => {
      const seen: number[] = [];
      (window as unknown as { __bar: number[] }).__bar = seen;
      new MutationObserver(() => {
        const bar = document.querySelector<HTMLProgressElement>('[data-testid="import-bar"]');
        if (bar && bar.hasAttribute('value')) seen.push(bar.value);
      }).observe(document.body, { subtree: true, childList: true, attributes: true, attributeFilter: ['value'] });
    });
    await d.getByTestId('import-start').click();
    await expect(d.getByTestId('import-report')).toBeVisible({ timeout: 90_000 });
    await expect(d.getByTestId('import-report').getByTestId('import-count')).toHaveText(String(NOTES));
    const seen = await page.evaluate(() => (window as unknown as { __bar: number[] }).__bar);
    expect(seen.some((v) => v > 0 && v < 100), `bar values: ${seen.join(', ')}`).toBe(true);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('import: stopped half way, what came in stays, and running it again brings in the rest', async ({ page, host }) => {
  const NOTES = 3000;
  const dir = mkdtempSync(join(tmpdir(), 'memoryos-e2e-notes-'));
  try {
    for (let i = 0; i < NOTES; i++) writeFileSync(join(dir, `Note ${i}.md`), `# Note ${i}\n\nText ${i}.\n`);
    await openUnlocked(page, host);
    await page.getByTestId('open-import').click();
    const d = page.getByTestId('import-dialog');
    await d.getByLabel('Where the export is (a folder or a file)').fill(dir);
    await d.getByRole('button', { name: 'Check the export' }).click();
    await expect(d.getByTestId('import-count')).toHaveText(String(NOTES), { timeout: 60_000 });
    await d.getByTestId('import-start').click();
    // once the bar has moved, stop
    await expect(d.getByTestId('import-bar')).toHaveAttribute('value', /^[1-9]/, { timeout: 30_000 });
    await d.getByRole('button', { name: 'Stop' }).click();
    await expect(d.getByTestId('import-cancelled')).toBeVisible({ timeout: 30_000 });
    const kept = (await host.call<{ total: number }>('memory.list', { limit: 1 })).total;
    expect(kept).toBeGreaterThan(0);
    expect(kept).toBeLessThan(NOTES);
    await d.getByRole('button', { name: 'Close' }).click();

    await page.getByTestId('open-import').click();
    await d.getByLabel('Where the export is (a folder or a file)').fill(dir);
    await d.getByRole('button', { name: 'Check the export' }).click();
    await expect(d.getByTestId('import-duplicates')).toHaveText(String(kept), { timeout: 60_000 });
    await expect(d.getByTestId('import-count')).toHaveText(String(NOTES - kept));
    await d.getByTestId('import-start').click();
    await expect(d.getByTestId('import-report').getByTestId('import-count')).toHaveText(String(NOTES - kept), { timeout: 90_000 });
    expect((await host.call<{ total: number }>('memory.list', { limit: 1 })).total).toBe(NOTES);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('restore: an encrypted MemoryOS backup of another vault, with its passphrase, brings the same memories and files', async ({ page, host }) => {
  // the vault the backup comes from: a memory with a file, exported encrypted
  const old = await startHostProcess();
  const dir = mkdtempSync(join(tmpdir(), 'memoryos-e2e-backup-'));
  try {
    const { personal_space_id } = await createConfirmedVault(old);
    const { memory } = await old.call<{ memory: { memory_id: string } }>('memory.create', { space_id: personal_space_id, type: 'semantic', band: 'GREEN', title: 'Vaccination card', body: 'Leo, 2024.', tags: ['health'] });
    const png = readFileSync(join(FIXTURES, 'enex', 'pie.png'));
    await old.call('attachment.add', { memory_id: memory.memory_id, data_base64: png.toString('base64'), name: 'card.png', mime: 'image/png' });
    const out = join(dir, 'backup.zip');
    let { job } = await old.call<{ job: { job_id: string; status: string; error: unknown } }>('privacy.export', { out, encrypt: { passphrase: 'river stone copper kite' } });
    await expect.poll(async () => (job = (await old.call<{ job: typeof job }>('job.get', { job_id: job.job_id })).job).status, { timeout: 60_000 }).toMatch(/done|failed/);
    expect(job.error).toBeNull();

    await openUnlocked(page, host);
    await page.getByTestId('open-import').click();
    const d = page.getByTestId('import-dialog');
    await d.getByLabel('Where the export is (a folder or a file)').fill(out);
    // a .zip asks for the passphrase of an encrypted backup; a wrong one is said so
    await d.getByLabel('The export’s passphrase (only if it was encrypted)').fill('not the passphrase');
    await d.getByRole('button', { name: 'Check the export' }).click();
    await expect(d.getByTestId('import-error')).toHaveText('That passphrase does not open this backup.', { timeout: 60_000 });
    await d.getByLabel('The export’s passphrase (only if it was encrypted)').fill('river stone copper kite');
    await d.getByRole('button', { name: 'Check the export' }).click();
    await expect(d.getByTestId('import-format')).toHaveText('MemoryOS export (backup)', { timeout: 60_000 });
    await expect(d.getByTestId('import-count')).toHaveText('1');
    await d.getByTestId('import-start').click();
    await expect(d.getByTestId('import-report').getByTestId('import-count')).toHaveText('1', { timeout: 60_000 });
    await d.getByRole('button', { name: 'Show the space' }).click();
    await page.getByRole('option', { name: /^GREEN Vaccination card/ }).click();
    await expect(page.getByTestId('body-view')).toContainText('Leo, 2024.');
    const { memory_id } = await byTitle(host, 'Vaccination card');
    const { attachments } = await host.call<{ attachments: { attachment_id: string; name: string; sha256: string }[] }>('attachment.list', { memory_id });
    expect(attachments.map((a) => [a.name, a.sha256])).toEqual([['card.png', createHash('sha256').update(png).digest('hex')]]);
    await expect(page.getByTestId('attachments').getByTestId('file-chip')).toContainText('card.png');
  } finally {
    await old.stop();
    rmSync(dir, { recursive: true, force: true });
  }
});

/** A picture drawn in the page (a canvas: a few hundred pixels, so the screenshot shows it), as PNG bytes in base64. */
async function drawnPng(page: Page): Promise<string> {
  return page.evaluate(async () => {
    const c = document.createElement('canvas');
    c.width = 320; c.height = 180;
    const g = c.getContext('2d')!;
    g.fillStyle = '#f6e7c8'; g.fillRect(0, 0, 320, 180);
    g.fillStyle = '#c07a2c'; g.beginPath(); g.arc(160, 95, 70, 0, Math.PI * 2); g.fill();
    g.fillStyle = '#8a4f1a'; g.beginPath(); g.moveTo(160, 95); g.arc(160, 95, 70, -0.4, 0.5); g.closePath(); g.fill();
    const blob = await new Promise<Blob>((r) => c.toBlob((b) => r(b!), 'image/png'));
    const bytes = new Uint8Array(await blob.arrayBuffer());
    let bin = '';
    for (const b of bytes) bin += String.fromCharCode(b);
    return btoa(bin);
  });
}

test('attachments: an image dropped on the text and one pasted while writing show inline; a PDF is a chip that saves', async ({ page, host }) => {
  await openUnlocked(page, host);
  await newMemory(page, { title: 'Grandma’s pie', band: 'GREEN', body: 'The pie, as she made it.' });
  const view = page.getByTestId('body-view');

  // drop a picture on the rendered text
  const drawn = await drawnPng(page);
  const drop = await page.evaluateHandle((b64) => {
    const bin = atob(b64);
    const bytes = Uint8Array.from(bin, (ch) => ch.charCodeAt(0));
    const dt = new DataTransfer();
    dt.items.add(new File([bytes], 'pie.png', { type: 'image/png' }));
    return dt;
  }, drawn);
  await page.getByTestId('body-area').dispatchEvent('dragover', { dataTransfer: drop });
  await page.getByTestId('body-area').dispatchEvent('drop', { dataTransfer: drop });
  const pie = view.getByRole('img', { name: 'pie.png' });
  await expect(pie).toBeVisible();
  expect(await pie.evaluate((i: HTMLImageElement) => [i.naturalWidth, i.src.slice(0, 22)])).toEqual([320, 'data:image/png;base64,']);
  await expect.poll(async () => (await byTitle(host, 'Grandma’s pie')).body).toMatch(/!\[pie\.png\]\(attachment:[0-9A-Z]{26}\)/);

  // paste another while writing: it goes where the caret is
  const text = await editBody(page);
  await text.press('Control+Home');
  const garden = readFileSync(join(FIXTURES, 'obsidian', 'attachments', 'garden.png')).toString('base64');
  await text.evaluate((el, b64) => {
    const bytes = Uint8Array.from(atob(b64), (ch) => ch.charCodeAt(0));
    const dt = new DataTransfer();
    dt.items.add(new File([bytes], 'garden.png', { type: 'image/png' }));
    el.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
  }, garden);
  await expect(text).toHaveValue(/^!\[garden\.png\]\(attachment:[0-9A-Z]{26}\)\nThe pie/);
  await page.keyboard.press('Escape');
  await expect(view.getByRole('img', { name: 'garden.png' })).toBeVisible();
  expect(await view.getByRole('img', { name: 'garden.png' }).evaluate((i: HTMLImageElement) => i.naturalWidth)).toBeGreaterThan(0);

  // another kind of file: a chip that saves it, byte for byte
  const pdf = join(FIXTURES, 'enex', 'packing-list.pdf');
  await page.getByTestId('file-picker').setInputFiles(pdf);
  const chip = view.getByTestId('file-chip').filter({ hasText: 'packing-list.pdf' });
  await expect(chip).toBeVisible();
  await expect(chip.getByRole('button', { name: 'Open packing-list.pdf' })).toBeVisible();
  const [download] = await Promise.all([page.waitForEvent('download'), chip.getByRole('button', { name: 'Save packing-list.pdf' }).click()]);
  expect(download.suggestedFilename()).toBe('packing-list.pdf');
  const saved = readFileSync((await download.path())!);
  expect(createHash('sha256').update(saved).digest('hex')).toBe(createHash('sha256').update(readFileSync(pdf)).digest('hex'));

  // the files panel lists all three; the core holds them, not only this window
  const files = page.getByTestId('attachments');
  await expect(files.getByRole('heading', { name: 'Files (3)' })).toBeVisible();
  const { memory_id } = await byTitle(host, 'Grandma’s pie');
  const { attachments } = await host.call<{ attachments: { name: string; mime: string }[] }>('attachment.list', { memory_id });
  expect(attachments.map((a) => a.name).sort()).toEqual(['garden.png', 'packing-list.pdf', 'pie.png']);
  await expectNoSeriousViolations(page, 'the editor with inline images and a file chip');
  await snap(page, '27-attachments');

  // a file added elsewhere (another window, the CLI, a synced device) shows up in the open editor
  await host.call('attachment.add', { memory_id, data_base64: Buffer.from('shopping: apples, butter, flour\n').toString('base64'), name: 'list.txt', mime: 'text/plain' });
  await expect(files.getByRole('heading', { name: 'Files (4)' })).toBeVisible();
  await expect(files.getByTestId('file-chip').filter({ hasText: 'list.txt' })).toBeVisible();

  // removed for good: gone from the memory, its name left in the text as words
  await files.getByRole('button', { name: 'Remove garden.png' }).click();
  await page.getByRole('dialog', { name: 'Remove “garden.png”?' }).getByRole('button', { name: 'Remove for good' }).click();
  await expect(files.getByRole('heading', { name: 'Files (3)' })).toBeVisible();
  await expect(view.getByRole('img', { name: 'garden.png' })).toHaveCount(0);
  await expect.poll(async () => (await byTitle(host, 'Grandma’s pie')).body).toMatch(/^garden\.png\nThe pie/);
  expect((await host.call<{ attachments: { name: string }[] }>('attachment.list', { memory_id })).attachments.map((a) => a.name).sort()).toEqual(['list.txt', 'packing-list.pdf', 'pie.png']);
});

test('attachments: a file too large for the window is added by its path with a progress row, and saved to a path', async ({ page, host }) => {
  const dir = mkdtempSync(join(tmpdir(), 'memoryos-e2e-files-'));
  try {
    const big = join(dir, 'first steps.mp4');
    const bytes = Buffer.alloc(6 * 1024 * 1024);
    for (let i = 0; i < bytes.length; i += 4) bytes.writeUInt32LE((i * 2654435761) >>> 0, i);
    writeFileSync(big, bytes);
    await openUnlocked(page, host);
    await newMemory(page, { title: 'First steps', band: 'GREEN', body: 'Leo walks.' });
    // every upload row the page draws, with its bar
    await page.evaluate(() => {
      const seen: string[] = [];
      (window as unknown as { __rows: string[] }).__rows = seen;
      new MutationObserver(() => {
        for (const row of document.querySelectorAll('[data-testid="upload"]')) if (row.querySelector('progress')) seen.push(row.textContent ?? '');
      }).observe(document.body, { subtree: true, childList: true });
    });

    // dropped, it is refused here (the window sends 2 MB at most) with the way on
    const drop = await page.evaluateHandle(() => {
      const dt = new DataTransfer();
      dt.items.add(new File([new Uint8Array(3 * 1024 * 1024)], 'first steps.mp4', { type: 'video/mp4' }));
      return dt;
    });
    await page.getByTestId('body-area').dispatchEvent('drop', { dataTransfer: drop });
    const files = page.getByTestId('attachments');
    await expect(files.getByTestId('upload')).toContainText('larger than this window can send (2 MB)');
    await files.getByRole('button', { name: 'Add by path…' }).first().click();
    const add = page.getByRole('dialog', { name: 'Add a file by its path' });
    await add.getByLabel('The file’s path').fill(big);
    await add.getByRole('button', { name: 'Add' }).click();
    const chip = files.getByTestId('file-chip').filter({ hasText: 'first steps.mp4' });
    await expect(chip).toBeVisible();
    await expect(chip).toContainText('6.3 MB');
    expect((await page.evaluate(() => (window as unknown as { __rows: string[] }).__rows)).some((t) => t.includes('Encrypting and saving “first steps.mp4”'))).toBe(true);
    // the text names it as a link, a chip there too
    await expect(page.getByTestId('body-view').getByTestId('file-chip')).toContainText('first steps.mp4');

    // too large to open in the window: MemoryOS writes it, decrypted, where the person says
    await chip.getByRole('button', { name: 'Save first steps.mp4 to a folder' }).click();
    const save = page.getByRole('dialog', { name: 'Save “first steps.mp4”' });
    const out = join(dir, 'copy.mp4');
    await save.getByLabel('Save as (a whole path)').fill(out);
    await save.getByRole('button', { name: 'Save' }).click();
    await expect(page.getByTestId('notice')).toContainText(`Saved “first steps.mp4” to ${out}.`);
    expect(createHash('sha256').update(readFileSync(out)).digest('hex')).toBe(createHash('sha256').update(bytes).digest('hex'));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('attachments: a photo too large for the window goes in as a smaller copy, named so', async ({ page, host }) => {
  await openUnlocked(page, host);
  await newMemory(page, { title: 'Vaccination card', band: 'GREEN', body: 'Leo’s card.' });
  // a 1500 × 1500 picture of noise: several MB as PNG, as a phone photo would be
  const drop = await page.evaluateHandle(async () => {
    const c = document.createElement('canvas');
    c.width = 1500; c.height = 1500;
    const g = c.getContext('2d')!;
    const img = g.createImageData(1500, 1500);
    let x = 12345;
    for (let i = 0; i < img.data.length; i++) { x = (x * 1103515245 + 12345) & 0x7fffffff; img.data[i] = i % 4 === 3 ? 255 : x >> 23; }
    g.putImageData(img, 0, 0);
    const blob = await new Promise<Blob>((r) => c.toBlob((b) => r(b!), 'image/png'));
    const dt = new DataTransfer();
    dt.items.add(new File([blob], 'card photo.png', { type: 'image/png' }));
    return dt;
  });
  expect(await drop.evaluate((dt) => dt.files[0].size)).toBeGreaterThan(2 * 1024 * 1024);
  await page.getByTestId('body-area').dispatchEvent('drop', { dataTransfer: drop });
  const row = page.getByTestId('attachments').getByTestId('upload');
  await expect(row).toContainText('larger than this window can send (2 MB)');
  await row.getByRole('button', { name: 'Add a smaller copy' }).click();
  const copy = page.getByTestId('body-view').getByRole('img', { name: 'card photo (smaller).jpg' });
  await expect(copy).toBeVisible({ timeout: 30_000 });
  // drawn again as JPEG, the shape kept, never larger than the original
  const [w, h] = await copy.evaluate((i: HTMLImageElement) => [i.naturalWidth, i.naturalHeight]);
  expect(w).toBeGreaterThanOrEqual(1280);
  expect(w).toBeLessThanOrEqual(1500);
  expect(h).toBe(w);
  const { memory_id } = await byTitle(host, 'Vaccination card');
  const { attachments } = await host.call<{ attachments: { name: string; mime: string; size: number }[] }>('attachment.list', { memory_id });
  expect(attachments).toHaveLength(1);
  expect(attachments[0]).toMatchObject({ name: 'card photo (smaller).jpg', mime: 'image/jpeg' });
  expect(attachments[0].size).toBeLessThanOrEqual(2 * 1024 * 1024);
});
