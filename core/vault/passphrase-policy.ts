import { zxcvbn, zxcvbnOptions } from '@zxcvbn-ts/core';
import * as common from '@zxcvbn-ts/language-common';
import { invalid } from '../shared/errors';

/**
 * The minimum a vault passphrase must meet, decided here and not only by a screen's meter:
 * at least 8 characters and a zxcvbn score of 3 ("safely unguessable" against an offline attack
 * on a slow hash, which Argon2id is). zxcvbn knows common passwords, keyboard runs, repeats,
 * dictionary words and dates; a few random words pass easily.
 */
export const MIN_PASSPHRASE_LENGTH = 8;
export const MIN_PASSPHRASE_SCORE = 3;

let ready = false;
function estimator(): typeof zxcvbn {
  if (!ready) {
    zxcvbnOptions.setOptions({ dictionary: { ...common.dictionary }, graphs: common.adjacencyGraphs });
    ready = true;
  }
  return zxcvbn;
}

export function checkPassphraseStrength(passphrase: string, field = 'passphrase'): void {
  const trimmed = passphrase.trim();
  if (trimmed.length < MIN_PASSPHRASE_LENGTH) {
    throw invalid(`the passphrase is too short: use at least ${MIN_PASSPHRASE_LENGTH} characters that are not spaces, e.g. four unrelated words`, { field, reason: 'too_short', min_length: MIN_PASSPHRASE_LENGTH });
  }
  // zxcvbn's cost grows with length; what it learns from the first 100 characters is plenty
  const r = estimator()(trimmed.slice(0, 100));
  if (r.score < MIN_PASSPHRASE_SCORE) {
    throw invalid('the passphrase is too easy to guess: try three or four unrelated words', {
      field, reason: 'too_weak', score: r.score, min_score: MIN_PASSPHRASE_SCORE,
      ...(r.feedback.warning ? { warning: r.feedback.warning } : {}),
    });
  }
}
