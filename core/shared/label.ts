/** The contracts' Label (common.schema.json): the names every view shows are 1 to 200 characters. */
export const LABEL_MAX = 200;

/**
 * A name as every view can show it: cut to LABEL_MAX characters, or `fallback` for one that is
 * empty or no text. Another device's roster or space document may say anything, and one name
 * that breaks the Label shape made a whole response (space.list, member.list) break its contract.
 */
export const asLabel = (name: unknown, fallback: string): string =>
  typeof name !== 'string' || !name.length ? fallback
    // cut by code points, as the contract counts them: never half of an emoji
    : name.length <= LABEL_MAX ? name : Array.from(name).slice(0, LABEL_MAX).join('');
