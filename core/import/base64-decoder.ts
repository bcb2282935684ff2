/**
 * Decodes base64 that arrives in pieces of any size, split anywhere: whitespace is skipped, and
 * the 0–3 characters that do not yet make a whole quantum wait for the next piece. One pass over
 * the characters checks them and finds the cut; the bytes come from Node's own decoder, so a
 * 64 KiB piece makes one Buffer and no intermediate strings. Strict: any other character, or
 * padding anywhere but at the very end, is an error, so a damaged resource fails its note rather
 * than importing as garbage.
 */
const ALPHABET = new Uint8Array(128);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/') ALPHABET[c.charCodeAt(0)] = 1;

export class Base64Decoder {
  /** the 0–3 significant characters of an unfinished quantum (no whitespace) */
  private carry = '';
  /** a padded quantum has ended the data */
  private ended = false;

  /** decoded bytes of `text` (plus what was carried), possibly empty */
  write(text: string): Buffer {
    const s = this.carry ? this.carry + text : text;
    let count = 0; // significant characters (padding included), from the carried quantum on
    let pad = 0; // `=` in the current quantum
    let cut = 0; // end of the last whole quantum
    for (let i = 0; i < s.length; i++) {
      const c = s.charCodeAt(i);
      if (c < 128 && ALPHABET[c] === 1) {
        if (pad > 0 || this.ended) throw new Error('base64 data after the padding');
      } else if (c === 61 /* = */) {
        if (this.ended || count % 4 < 2) throw new Error('invalid base64 padding');
        pad++;
      } else if (c === 10 || c === 13 || c === 32 || c === 9) {
        continue;
      } else {
        throw new Error('invalid base64 data');
      }
      if (++count % 4 === 0) {
        cut = i + 1;
        if (pad > 0) this.ended = true;
      }
    }
    this.carry = cut === s.length ? '' : s.slice(cut).replace(/[\t\n\r ]+/g, '');
    return cut > 0 ? Buffer.from(s.slice(0, cut), 'base64') : Buffer.alloc(0);
  }

  /** the last bytes; throws when the data ends inside a quantum that cannot be unpadded base64 */
  end(): Buffer {
    const rest = this.carry;
    this.carry = '';
    if (rest.length === 0) return Buffer.alloc(0);
    if (rest.includes('=')) throw new Error('invalid base64 padding');
    if (rest.length === 1) throw new Error('truncated base64 data');
    return Buffer.from(rest, 'base64'); // an unpadded tail of 2 or 3 characters
  }
}
