/**
 * Decodes base64 that arrives in pieces of any size (sax hands text over in chunks of up to
 * 64 KiB, split anywhere): whitespace is skipped, the 0–3 characters that do not yet make a
 * whole quantum wait for the next piece. Strict: any other character, or padding in the middle,
 * is an error, so a damaged resource fails its note rather than importing as garbage.
 */
export class Base64Decoder {
  private carry = '';
  private ended = false;

  /** decoded bytes of `text` (plus what was carried), possibly empty */
  write(text: string): Buffer {
    const clean = this.carry + text.replace(/[\t\n\r ]+/g, '');
    if (clean.length === 0) return Buffer.alloc(0);
    if (this.ended) throw new Error('base64 data after the padding');
    if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean)) throw new Error('invalid base64 data');
    const whole = clean.length - (clean.length % 4);
    this.carry = clean.slice(whole);
    const quanta = clean.slice(0, whole);
    if (quanta.endsWith('=')) this.ended = true; // the regex put it last: nothing may follow
    return whole > 0 ? Buffer.from(quanta, 'base64') : Buffer.alloc(0);
  }

  /** the last bytes; throws when the data did not end on a whole quantum (and is not unpadded base64) */
  end(): Buffer {
    const rest = this.carry;
    this.carry = '';
    if (rest.length === 0) return Buffer.alloc(0);
    if (rest.includes('=')) throw new Error('invalid base64 padding');
    if (rest.length === 1) throw new Error('truncated base64 data');
    return Buffer.from(rest, 'base64'); // unpadded tail of 2 or 3 characters
  }
}
