import type { Envelope } from '../../contracts/types';
import { sha256Hex } from '../crypto/hash';
import { canonicalJson } from '../shared/json';

/** The bytes a device signs: RFC 8785 canonical JSON of the envelope without `signature`. */
export function signingBytes(envelope: Omit<Envelope, 'signature'> | Envelope): string {
  const { signature: _omit, ...rest } = envelope as Envelope;
  return canonicalJson(rest);
}

/** The hash chained in the audit log: canonical JSON without `signature` and without the hash itself. */
export function envelopeHash(envelope: Envelope): string {
  const { signature: _s, ...rest } = envelope;
  const { envelope_sha256: _h, ...hashes } = rest.hashes;
  return sha256Hex(canonicalJson({ ...rest, hashes }));
}
