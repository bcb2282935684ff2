/**
 * The core worker's entry: the whole core in a process of its own, so Argon2id and the index
 * build never freeze a window. Electron main starts it with utilityProcess.fork (it then has
 * process.parentPort); tests and any Node parent start it with child_process.fork (process.send).
 * It assembles the app exactly as `memoryos serve` does: appOptionsFrom(env, data dir, 'host').
 */
import { homedir } from 'node:os';
import { join, resolve } from 'node:path';
import { appOptionsFrom } from '../app/options';
import type { FromWorker, MessageChannelLike } from './protocol';
import { serveWorker } from './serve-worker';

interface ParentPort { postMessage(m: unknown): void; on(ev: 'message', fn: (e: { data: unknown }) => void): void }

function parentChannel(): MessageChannelLike<unknown, FromWorker> {
  const electronPort = (process as unknown as { parentPort?: ParentPort }).parentPort;
  if (electronPort) return { post: (m) => electronPort.postMessage(m), onMessage: (fn) => electronPort.on('message', (e) => fn(e.data)) };
  if (!process.send) throw new Error('the core worker runs as a child process (utilityProcess.fork or child_process.fork)');
  return { post: (m) => process.send!(m), onMessage: (fn) => process.on('message', fn) };
}

const dataDir = resolve(process.env.MEMORYOS_DATA_DIR || join(homedir(), '.memoryos'));
const channel = parentChannel();
// the parent went away without saying close: nothing acknowledged is lost (every call committed), so just go
process.on('disconnect', () => process.exit(0));
void serveWorker(channel, appOptionsFrom(process.env, dataDir, 'host'), (code) => setImmediate(() => process.exit(code)));
