import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Page } from '@playwright/test';
import { ROOT } from './host-process';

/** Screenshots for the README, retaken on every run so they show the current app. */
export async function snap(page: Page, name: string): Promise<void> {
  const dir = join(ROOT, 'docs', 'screenshots');
  mkdirSync(dir, { recursive: true });
  // the caret and the countdown move: hide the caret, let animations finish
  await page.screenshot({ path: join(dir, `${name}.png`), caret: 'hide', animations: 'disabled' });
}
