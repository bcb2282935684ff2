import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { readLiveLock } from '../host/lock-file';
import { repoRoot } from '../shared/paths';
import { ApiError } from '../shared/errors';
import { parseArgs, type CliArgs } from './args';
import { withCore } from './core-session';
import { exportCommand, verifyExportCommand } from './export';
import { importCommand } from './import';
import { isJobAnswer, waitForJob } from './job-wait';
import { readPassphrase } from './passphrase';
import { parseParams } from '../shared/json-limits';

const USAGE = `memoryos — local-first encrypted memory spaces

  memoryos [--data-dir DIR] init [--name NAME]          create a vault (passphrase from MEMORYOS_PASSPHRASE or a prompt)
  memoryos [--data-dir DIR] call [--as MEMBER] <method> ['<json>' | @file | -]
  memoryos methods                                      list the API
  memoryos [--data-dir DIR] serve [--port N]            run the local host (HTTP + WebSocket on 127.0.0.1)
  memoryos [--data-dir DIR] export [--out FILE] [--include-black] [--encrypt] [--subject MEMBER]
                                                        your data as a signed ZIP (GDPR Art. 15/20); progress on stderr
  memoryos verify-export FILE [--key BASE64]            check every hash and the signature: exit 0 valid, 2 not
  memoryos [--data-dir DIR] import PATH --space SPACE [--format F] [--band B] [--dry-run] [--passphrase-file FILE]
                                                        bring in Markdown/Obsidian, ENEX, Keep, Joplin or a MemoryOS export; report as JSON

The data directory defaults to $MEMORYOS_DATA_DIR or ~/.memoryos. API errors print
{"error":{"code","message","details"}} and exit with code 2.`;

const print = (v: unknown) => process.stdout.write(JSON.stringify(v, null, 2) + '\n');

/** What one call does: through the live host when there is one, else in this process; a job it starts is waited for. */
async function callOnce(args: CliArgs, method: string, params: unknown): Promise<unknown> {
  return withCore(args, method, async (call) => {
    const r = await call(method, params);
    return isJobAnswer(r) ? { job: await waitForJob(call, r.job) } : r;
  });
}

const BUSY_RETRIES = 12;

/**
 * `memoryos call`. A database another process is writing answers BUSY: the call changed
 * nothing (each method commits in one transaction), so it is tried again after a growing,
 * jittered pause; only when the database stays busy does the CLI say BUSY.
 */
async function call(args: CliArgs): Promise<void> {
  const [method, json] = args.rest.slice(1);
  if (!method) throw new ApiError('INVALID_INPUT', 'usage: memoryos call <method> [\'<json>\']');
  let params: unknown = {};
  if (json !== undefined) {
    // '-' reads params from stdin and '@file' from a file: large bodies do not fit in argv
    const text = json === '-' ? readFileSync(0, 'utf8') : json.startsWith('@') ? readFileSync(json.slice(1), 'utf8') : json;
    params = parseParams(text);
  }
  for (let attempt = 0; ; attempt++) {
    try {
      print(await callOnce(args, method, params));
      return;
    } catch (e) {
      if (!(e instanceof ApiError && e.code === 'BUSY' && (e.details as { retry?: boolean })?.retry) || attempt >= BUSY_RETRIES) throw e;
      await new Promise((r) => setTimeout(r, Math.min(2000, 40 * 2 ** attempt) * (0.5 + Math.random())));
    }
  }
}

async function init(args: CliArgs): Promise<void> {
  if (readLiveLock(args.dataDir)) throw new ApiError('BUSY', 'a host is serving this data directory');
  const passphrase = await readPassphrase('New passphrase: ');
  const { openApp } = await import('../app/app');
  const { appOptionsFrom } = await import('../app/options');
  const app = await openApp(appOptionsFrom(process.env, args.dataDir, 'one-shot'));
  try {
    const r = (await app.call('vault.create', { passphrase, name: args.name ?? process.env.MEMORYOS_NAME ?? 'Me' }, { door: 'cli' })) as { recovery_key: string };
    // a terminal cannot ask for the key back: printing it is the hand-over, and the app does not
    // ask again (the app's own create flow confirms only once the person types the key back)
    await app.call('vault.confirmRecoveryKey', { recovery_key: r.recovery_key }, { door: 'cli' });
    process.stderr.write('Vault created. The recovery key below is shown once: write it down and keep it safe.\n');
    print(r);
  } finally {
    await app.close();
  }
}

/** `memoryos serve`: the app as a host assembles it (scheduler, sync), behind the local HTTP + WebSocket door. */
async function serve(args: CliArgs): Promise<void> {
  const { openApp } = await import('../app/app');
  const { appOptionsFrom } = await import('../app/options');
  const { startHost } = await import('../host/server');
  const app = await openApp(appOptionsFrom(process.env, args.dataDir, 'host'));
  const { exists } = (await app.call('vault.status', {})) as { exists: boolean };
  if (exists && (process.env.MEMORYOS_PASSPHRASE || process.stdin.isTTY)) {
    await app.call('vault.unlock', { passphrase: await readPassphrase() }, { door: 'cli' });
  }
  const rendererDist = join(repoRoot(), 'renderer', 'dist');
  const syncPort = app.status().sync.port;
  const requestTimeoutMs = Number(process.env.MEMORYOS_HOST_REQUEST_TIMEOUT_MS) || undefined;
  const host = await startHost(app, { port: args.port, staticDir: rendererDist, syncPort, requestTimeoutMs });
  process.stdout.write(JSON.stringify({ listening: host.url, port: host.port, sync_port: syncPort, pid: process.pid, data_dir: args.dataDir, unlocked: app.status().unlocked }) + '\n');
  const shutdown = async () => {
    await host.close();
    await app.close();
    process.exit(0);
  };
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);
}

export async function main(argv: string[]): Promise<void> {
  let args: CliArgs;
  try { args = parseArgs(argv); } catch (e) { process.stderr.write(`${(e as Error).message}\n${USAGE}\n`); process.exit(64); }
  const cmd = args.rest[0];
  try {
    if (cmd === 'init') await init(args);
    else if (cmd === 'call') await call(args);
    else if (cmd === 'methods') print([...(await import('../api/catalog')).apiCatalog().values()].map((d) => ({ method: d.method, summary: d.summary })));
    else if (cmd === 'serve') { await serve(args); return; }
    else if (cmd === 'export') print(await exportCommand(args));
    else if (cmd === 'import') print(await importCommand(args));
    else if (cmd === 'verify-export') { const r = await verifyExportCommand(args); print(r); if (!r.valid) process.exit(2); }
    else { process.stdout.write(USAGE + '\n'); process.exit(cmd === undefined || cmd === 'help' || cmd === '--help' ? 0 : 64); }
  } catch (e) {
    const err = e instanceof ApiError ? e : new ApiError('INTERNAL', (e as Error).message?.split('\n')[0].slice(0, 300) ?? 'internal error');
    print(err.toJSON());
    process.exit(2);
  }
}
