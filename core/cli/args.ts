import { homedir } from 'node:os';
import { join, resolve } from 'node:path';

export interface CliArgs { dataDir: string; as?: string; port?: number; name?: string; rest: string[] }

/** Global flags may stand anywhere before the command's own arguments. */
export function parseArgs(argv: string[]): CliArgs {
  const out: CliArgs = { dataDir: process.env.MEMORYOS_DATA_DIR || join(homedir(), '.memoryos'), rest: [] };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const value = () => {
      const v = argv[++i];
      if (v === undefined) throw new Error(`${a} needs a value`);
      return v;
    };
    if (a === '--data-dir') out.dataDir = value();
    else if (a.startsWith('--data-dir=')) out.dataDir = a.slice(11);
    else if (a === '--as') out.as = value();
    else if (a === '--port') out.port = Number(value());
    else if (a === '--name') out.name = value();
    else out.rest.push(a);
  }
  out.dataDir = resolve(out.dataDir);
  return out;
}
