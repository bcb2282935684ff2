/** Entry of a side's process: builds the side named in argv and serves run.ts's calls over IPC. */
import type { Reply, Side, SideArgs } from './sides';
import { OursSide } from './side-ours';
import { BaselineSide } from './side-baseline';

const args = JSON.parse(process.argv[2] ?? '{}') as SideArgs;
const side: Side = args.kind === 'ours' ? new OursSide(args) : new BaselineSide(args);

process.on('message', async (m: { id: number; op: keyof Side; args: unknown[] }) => {
  let reply: Reply;
  try {
    const value = await (side[m.op] as (...a: unknown[]) => Promise<unknown>).apply(side, m.args);
    reply = { id: m.id, ok: true, value };
  } catch (e) {
    reply = { id: m.id, ok: false, error: (e as Error).stack ?? String(e) };
  }
  process.send!(reply);
});
process.on('disconnect', () => process.exit(0));
