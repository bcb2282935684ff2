import { ApiError } from './errors';

/** How deep params may nest: far more than any method needs, far less than anything that recurses can take. */
export const MAX_JSON_DEPTH = 64;

/**
 * The nesting depth of JSON text, found without recursion or parsing (strings skipped), so a
 * body nested 100,000 deep is refused before anything recurses over it.
 */
export function jsonTextDepth(text: string): number {
  let depth = 0, max = 0, inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 92 /* \ */) i++;
      else if (c === 34 /* " */) inString = false;
    } else if (c === 34) inString = true;
    else if (c === 123 /* { */ || c === 91 /* [ */) { if (++depth > max) max = depth; }
    else if (c === 125 /* } */ || c === 93 /* ] */) depth--;
  }
  return max;
}

/** The nesting depth of a value (iterative: a deep value cannot exhaust the stack here). */
export function valueDepth(value: unknown, limit = MAX_JSON_DEPTH + 1): number {
  let max = 0;
  const stack: [unknown, number][] = [[value, 1]];
  while (stack.length) {
    const [v, d] = stack.pop()!;
    if (v === null || typeof v !== 'object') continue;
    if (d > max) max = d;
    if (max >= limit) return max;
    for (const child of Array.isArray(v) ? v : Object.values(v as Record<string, unknown>)) stack.push([child, d + 1]);
  }
  return max;
}

export const tooDeep = (): ApiError => new ApiError('INVALID_INPUT', `params nest deeper than ${MAX_JSON_DEPTH} levels`, { max_depth: MAX_JSON_DEPTH });

/** JSON text from a door (CLI argument, HTTP body, WebSocket frame) → a value, with the depth limit checked first. */
export function parseParams(text: string, what = 'params'): unknown {
  if (jsonTextDepth(text) > MAX_JSON_DEPTH) throw tooDeep();
  try { return JSON.parse(text); } catch { throw new ApiError('INVALID_INPUT', `${what} are not valid JSON`); }
}
