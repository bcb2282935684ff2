/**
 * npm run contracts:types [-- --dir <contracts dir>]
 * Regenerates <dir>/types/ from the JSON schemas.
 */
import { displayDir, parseArgs } from './lib';
import { generateAndWrite } from './typegen';

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const shown = displayDir(args.dir);
  const { written, result } = await generateAndWrite(args.dir);
  for (const name of written) console.log(`wrote ${shown}/types/${name}`);
  console.log(`contracts:types: ${result.typeNames.length} types in ${shown}/types/ (${written.length ? `${written.length} file(s) updated` : 'up to date'})`);
  return 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(`contracts:types failed: ${(err as Error)?.message ?? String(err)}`);
    process.exitCode = 1;
  },
);
