/**
 * npm run contracts:index [-- --dir <contracts dir>]
 * Rewrites <dir>/index.sha256.json from the current contract files. Use it after a deliberate
 * version bump (and a contracts/CHANGELOG.md entry). Files whose content changed without a
 * version bump are listed as warnings: contracts:check will not catch them after this.
 */
import { writeIndex } from './hash-index';
import { displayDir, INDEX_FILE, loadContracts, parseArgs } from './lib';

function main(): number {
  const args = parseArgs(process.argv.slice(2));
  const shown = displayDir(args.dir);
  const loaded = loadContracts(args.dir);
  if (loaded.problems.length) {
    for (const p of loaded.problems) console.log(`${shown}/${p}`);
    console.log(`contracts:index: not written (fix the problems above first)`);
    return 1;
  }
  const { index, changes } = writeIndex(args.dir, loaded);
  for (const c of changes) {
    const v = (x: string | null | undefined): string => (x === null || x === undefined ? '(none)' : x);
    const detail = c.what === 'added' ? `at ${v(c.to)}` : c.what === 'removed' ? `was ${v(c.from)}` : `${v(c.from)} -> ${v(c.to)}`;
    console.log(`${c.suspicious ? 'WARNING ' : ''}${c.what} ${c.rel} ${detail}${c.suspicious ? ' (content changed without a version bump)' : ''}`);
  }
  console.log(`contracts:index: wrote ${shown}/${INDEX_FILE} (${Object.keys(index.files).length} files, ${changes.length} change(s))`);
  return 0;
}

process.exitCode = main();
