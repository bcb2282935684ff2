import { ApiError } from '../shared/errors';

/** The command's own flags, after the command word. */
export function flags(rest: string[], known: Record<string, 'bool' | 'value'>): { opts: Record<string, string | true>; positional: string[] } {
  const opts: Record<string, string | true> = {};
  const positional: string[] = [];
  for (let i = 1; i < rest.length; i++) {
    const a = rest[i]!;
    if (!a.startsWith('--')) { positional.push(a); continue; }
    const [name, inline] = a.slice(2).split(/=(.*)/s, 2) as [string, string | undefined];
    const kind = known[name];
    if (!kind) throw new ApiError('INVALID_INPUT', `unknown option --${name}`);
    if (kind === 'bool') { opts[name] = true; continue; }
    const v = inline ?? rest[++i];
    if (v === undefined) throw new ApiError('INVALID_INPUT', `--${name} needs a value`);
    opts[name] = v;
  }
  return { opts, positional };
}
