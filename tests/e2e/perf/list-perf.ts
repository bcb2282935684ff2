/**
 * Renderer list performance with many memories, in Debian's Chromium against a real host:
 *   - time from pressing Unlock to the first rows painted,
 *   - frame times while scrolling the virtualized list continuously,
 *   - time to show real rows after jumping deep into the list.
 * Usage: npm run perf:renderer -- [--count 100000] [--frames 600] [--data-dir DIR]
 *   --data-dir keeps the vault there and reuses it when it already holds `count` memories.
 * Prints each figure to stderr as it is measured, then all of them as JSON on stdout.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { chromium, type Page } from '@playwright/test';
import { CHROMIUM_ARGS } from '../../../playwright.config';
import { startHostProcess } from '../host-process';

const PASSPHRASE = 'maple orbit lantern pebble';
const BATCH = 1000;

function arg(name: string, fallback: number): number {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? Number(process.argv[i + 1]) : fallback;
}
function argText(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : undefined;
}
const JUMP_CAP_MS = 60_000;

/** Scrolls the list to row `row` and times the first frame and the first real (non-placeholder) rows. */
async function jumpTo(page: Page, row: number): Promise<{ firstFrameMs: number; rowsMs: number | null; rowsLoaded: number }> {
  return page.evaluate(({ row, cap }) => new Promise((resolve) => {
    const list = document.querySelector<HTMLElement>('[data-testid="memory-list"]')!;
    const rowHeight = (list.querySelector<HTMLElement>('.vrow')?.offsetHeight ?? 62);
    const t = performance.now();
    list.scrollTop = row * rowHeight;
    let firstFrameMs = -1;
    const check = () => {
      const now = performance.now();
      // only rows around the target count: React repaints the old rows until the scroll event lands
      const rows = [...list.querySelectorAll('.vrow')].filter((e) => Math.abs(Number(e.getAttribute('aria-posinset')) - row) < 40);
      const titles = rows.map((e) => e.querySelector('.title')?.textContent ?? '');
      if (firstFrameMs < 0 && titles.length) firstFrameMs = now - t;
      const loaded = titles.length > 0 && titles.every((x) => x !== 'Loading…');
      if (loaded || now - t > cap) {
        const posinset = Number(list.querySelector('.vrow')?.getAttribute('aria-posinset') ?? 0);
        resolve({ firstFrameMs, rowsMs: loaded ? now - t : null, rowsLoaded: posinset });
      } else requestAnimationFrame(check);
    };
    requestAnimationFrame(check);
  }), { row, cap: JUMP_CAP_MS });
}

const quantile = (xs: number[], q: number) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(q * s.length))]; };
const round = (x: number) => Math.round(x * 10) / 10;

const WORDS = 'lake school recipe wifi doctor trip birthday garden piano soccer museum train beach forest winter summer grandma uncle cousin library'.split(' ');
function body(i: number): string {
  // ~1 KB of text, varied enough that the search index is not trivial
  const parts: string[] = [];
  for (let k = 0; parts.join(' ').length < 1000; k++) parts.push(WORDS[(i * 7 + k * 13) % WORDS.length] + (k % 5 === 0 ? ` ${i}` : ''));
  return parts.join(' ');
}

async function main(): Promise<void> {
  const count = arg('count', 100_000);
  const frames = arg('frames', 600);
  const dataDir = argText('data-dir');
  const reuse = !!dataDir && existsSync(join(dataDir, 'memoryos.db'));
  const host = await startHostProcess({ dataDir });
  const out: Record<string, number | string | null> = { count };
  const note = (k: string, v: number | string | null) => { out[k] = v; process.stderr.write(`${k}: ${v}\n`); };
  try {
    if (reuse) await host.call('vault.unlock', { passphrase: PASSPHRASE });
    const created = reuse
      ? { personal_space_id: (await host.call<{ spaces: { space_id: string; kind: string }[] }>('space.list')).spaces.find((x) => x.kind === 'personal')!.space_id }
      : await host.call<{ personal_space_id: string; recovery_key: string }>('vault.create', { passphrase: PASSPHRASE, name: 'Perf' });
    // the kit kept: the app opens on the list, not on "make a new recovery key"
    if ('recovery_key' in created) await host.call('vault.confirmRecoveryKey', { recovery_key: created.recovery_key });
    const have = (await host.call<{ total: number }>('memory.list', { limit: 1 })).total;
    const t0 = performance.now();
    for (let start = have; start < count; start += BATCH) {
      const n = Math.min(BATCH, count - start);
      const memories = Array.from({ length: n }, (_, j) => {
        const i = start + j;
        return { type: (['episodic', 'semantic', 'procedural'] as const)[i % 3], band: i % 4 === 0 ? 'AMBER' : 'GREEN', title: `Memory ${i} about ${WORDS[i % WORDS.length]}`, body: body(i), tags: [WORDS[i % 7]], people: [WORDS[(i + 3) % 20]] };
      });
      await host.call('memory.import', { space_id: created.personal_space_id, memories });
      if ((start / BATCH) % 10 === 0) process.stderr.write(`imported ${start + n}/${count}\n`);
    }
    if (have < count) note('import_seconds', round((performance.now() - t0) / 1000));
    note('memories_in_vault', (await host.call<{ total: number }>('memory.list', { limit: 1 })).total);
    // the core's share of unlock → first rows, measured over HTTP without a browser
    await host.call('vault.lock');
    let a = performance.now();
    await host.call('vault.unlock', { passphrase: PASSPHRASE });
    note('api_vault_unlock_ms', round(performance.now() - a));
    a = performance.now();
    await host.call('memory.list', { limit: 100 });
    note('api_memory_list_first_100_ms', round(performance.now() - a));
    a = performance.now();
    await host.call('memory.list', { limit: 1000, cursor: (await host.call<{ next_cursor: string }>('memory.list', { limit: 1000 })).next_cursor });
    note('api_memory_list_page_1000_ms', round((performance.now() - a) / 2));
    a = performance.now();
    await host.call('memory.search', { query: 'piano', limit: 200 });
    note('api_memory_search_ms', round(performance.now() - a));
    await host.call('vault.lock');

    const browser = await chromium.launch({ executablePath: process.env.CHROMIUM_PATH || '/usr/bin/chromium', args: CHROMIUM_ARGS });
    const page = await browser.newPage({ viewport: { width: 1024, height: 700 } });
    // tsx (esbuild keepNames) wraps named functions in __name(); the page must know it
    await page.addInitScript('window.__name = (f) => f');
    await page.goto(host.loginUrl);
    await page.getByRole('textbox', { name: 'Passphrase' }).fill(PASSPHRASE);

    // unlock → first rows painted (the next animation frame after they are in the DOM)
    await page.evaluate(() => { (window as unknown as { t0: number }).t0 = performance.now(); });
    await page.getByRole('button', { name: 'Unlock' }).click();
    await page.locator('.vrow .title:not(:has-text("Loading"))').first().waitFor();
    note('unlock_to_first_rows_ms', round(await page.evaluate(() => new Promise<number>((r) => requestAnimationFrame(() => r(performance.now() - (window as unknown as { t0: number }).t0))))));
    note('list_total_shown', (await page.getByTestId('list-status').textContent()) ?? '');

    // continuous scroll: 10 rows per frame, measuring every frame interval
    const scroll = await page.evaluate((n) => new Promise<{ deltas: number[]; loadingSeen: number; rowsInDom: number }>((resolve) => {
      const list = document.querySelector<HTMLElement>('[data-testid="memory-list"]')!;
      const deltas: number[] = [];
      let last = performance.now();
      let i = 0;
      let loadingSeen = 0;
      let rowsInDom = 0;
      const step = () => {
        const now = performance.now();
        deltas.push(now - last);
        last = now;
        list.scrollTop += 620;
        if (list.querySelector('.vrow .title')?.textContent === 'Loading…') loadingSeen++;
        rowsInDom = Math.max(rowsInDom, list.querySelectorAll('.vrow').length);
        if (++i < n) requestAnimationFrame(step); else resolve({ deltas: deltas.slice(1), loadingSeen, rowsInDom });
      };
      requestAnimationFrame(step);
    }), frames);
    note('scroll_frames', scroll.deltas.length);
    note('scroll_frame_ms_median', round(quantile(scroll.deltas, 0.5)));
    note('scroll_frame_ms_p95', round(quantile(scroll.deltas, 0.95)));
    note('scroll_frame_ms_max', round(Math.max(...scroll.deltas)));
    // a frame counts as dropped when it took more than 1.5 vsync intervals
    note('scroll_frames_dropped_over_25ms', scroll.deltas.filter((d) => d > 25).length);
    note('scroll_frames_showing_placeholders', scroll.loadingSeen);
    note('max_rows_in_dom', scroll.rowsInDom);

    // jumps (dragging the scrollbar): placeholders paint at once; real rows once the pages before
    // them have arrived (memory.list pages by cursor, so a jump reads every page up to it)
    for (const row of [5_000, Math.floor(count / 2)]) {
      const j = await jumpTo(page, row);
      note(`jump_to_row_${row}_first_frame_ms`, round(j.firstFrameMs));
      note(`jump_to_row_${row}_rows_loaded_ms`, j.rowsMs === null ? `> ${JUMP_CAP_MS}` : round(j.rowsMs));
    }

    // instant search over everything
    const s0 = Date.now();
    await page.getByTestId('search').fill('piano');
    await page.getByTestId('list-status').filter({ hasText: /results? for/ }).waitFor();
    note('search_typed_to_results_ms', Date.now() - s0);
    await browser.close();
  } finally {
    await host.stop();
  }
  process.stdout.write(JSON.stringify(out, null, 2) + '\n');
}

main().catch((e) => { console.error(e); process.exit(1); });
