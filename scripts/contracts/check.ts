/**
 * npm run contracts:check [-- --dir <contracts dir>] [--skip-types]
 * Prints one line per problem and exits 1 if there is any.
 */
import { runCheck } from './checker';
import { displayDir, parseArgs } from './lib';

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const shown = displayDir(args.dir);
  const { problems, stats } = await runCheck(args.dir, { skipTypes: args.flags.has('skip-types') });
  for (const p of problems) console.log(`${shown}/${p}`);
  const summary = `${stats.files} files, ${stats.schemas} schemas, ${stats.methods} methods, ${stats.topics} topics, ${stats.examples} examples`;
  if (problems.length) {
    console.log(`contracts:check FAILED: ${problems.length} problem(s) in ${shown} (${summary})`);
    return 1;
  }
  console.log(`contracts:check OK: ${shown} (${summary})`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(`contracts:check crashed: ${(err as Error)?.stack ?? String(err)}`);
    process.exitCode = 2;
  },
);
