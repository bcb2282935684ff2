import { ApiError } from '../shared/errors';

/** MEMORYOS_PASSPHRASE (or another variable), or a hidden prompt on a terminal; never an argument (it would sit in `ps`). */
export async function readPassphrase(prompt = 'Passphrase: ', envName = 'MEMORYOS_PASSPHRASE'): Promise<string> {
  const env = process.env[envName];
  if (env) return env;
  if (!process.stdin.isTTY) throw new ApiError('LOCKED', `set ${envName} or run in a terminal to be asked for the passphrase`);
  process.stderr.write(prompt);
  const stdin = process.stdin;
  stdin.setRawMode(true);
  stdin.resume();
  return new Promise((resolve, reject) => {
    let value = '';
    const onData = (buf: Buffer) => {
      for (const ch of buf.toString('utf8')) {
        if (ch === '\r' || ch === '\n') { done(); resolve(value); return; }
        if (ch === '\u0003') { done(); reject(new ApiError('LOCKED', 'cancelled')); return; }
        if (ch === '\u007f') value = value.slice(0, -1); else value += ch;
      }
    };
    const done = () => { stdin.off('data', onData); stdin.setRawMode(false); stdin.pause(); process.stderr.write('\n'); };
    stdin.on('data', onData);
  });
}
