/**
 * A small, dependency-free passphrase strength estimate for the create-vault screen. It is a
 * nudge, not a guarantee: the vault's key derivation (Argon2id) does the real work. It estimates
 * entropy from the character classes used, then takes away for the patterns guessers try first
 * (repeats, keyboard and alphabet runs, common passwords, a single dictionary-like word).
 */
export interface Strength {
  /** 0 very weak … 4 very strong */
  score: 0 | 1 | 2 | 3 | 4;
  label: 'Very weak' | 'Weak' | 'Fair' | 'Strong' | 'Very strong';
  bits: number;
  /** what would make it stronger; empty when strong */
  hints: string[];
  /** long enough and not trivially guessable: the create button unlocks at this */
  acceptable: boolean;
}

const COMMON = [
  'password', 'passw0rd', 'letmein', 'qwerty', 'azerty', 'iloveyou', 'welcome', 'admin', 'monkey', 'dragon',
  'football', 'baseball', 'sunshine', 'princess', 'master', 'trustno1', 'abc123', '123456', 'memoryos',
];
const RUNS = ['abcdefghijklmnopqrstuvwxyz', '0123456789', 'qwertyuiop', 'asdfghjkl', 'zxcvbnm'];
const LABELS: Strength['label'][] = ['Very weak', 'Weak', 'Fair', 'Strong', 'Very strong'];
export const MIN_LENGTH = 8; // contracts: Passphrase minLength

function poolSize(p: string): number {
  let pool = 0;
  if (/[a-z]/.test(p)) pool += 26;
  if (/[A-Z]/.test(p)) pool += 26;
  if (/[0-9]/.test(p)) pool += 10;
  if (/[ ]/.test(p)) pool += 1;
  if (/[^a-zA-Z0-9 ]/.test(p)) pool += 33;
  return Math.max(pool, 1);
}

/** Characters that continue a repeat or an ascending/descending run count for little. */
function effectiveLength(p: string): number {
  const lower = p.toLowerCase();
  let len = 0;
  for (let i = 0; i < lower.length; i++) {
    const prev = lower[i - 1];
    const c = lower[i];
    if (prev === undefined) { len += 1; continue; }
    const inRun = c === prev || RUNS.some((r) => {
      const a = r.indexOf(prev);
      const b = r.indexOf(c);
      return a >= 0 && b >= 0 && Math.abs(a - b) === 1;
    });
    len += inRun ? 0.25 : 1;
  }
  return len;
}

export function passphraseStrength(p: string): Strength {
  const hints: string[] = [];
  if (p.length === 0) return { score: 0, label: LABELS[0], bits: 0, hints: ['Type a passphrase: several unrelated words work well.'], acceptable: false };
  let bits = effectiveLength(p) * Math.log2(poolSize(p));
  const lower = p.toLowerCase();
  if (COMMON.some((w) => lower.includes(w))) {
    bits = Math.min(bits, 20);
    hints.push('Avoid common passwords and the app’s name.');
  }
  const words = p.trim().split(/[\s\-_.]+/).filter((w) => w.length >= 3);
  if (words.length >= 4) bits = Math.max(bits, words.length * 11); // diceware-like: ~11 bits per random word, at least
  if (p.length < MIN_LENGTH) hints.push(`Use at least ${MIN_LENGTH} characters.`);
  if (words.length < 3 && p.length < 16) hints.push('Longer is stronger: try three or four unrelated words.');
  if (effectiveLength(p) < p.length * 0.7) hints.push('Repeated characters and runs like “abc” or “123” add little.');
  const score = (bits < 28 ? 0 : bits < 40 ? 1 : bits < 55 ? 2 : bits < 75 ? 3 : 4) as Strength['score'];
  return { score, label: LABELS[score], bits: Math.round(bits), hints: score >= 3 ? [] : hints, acceptable: p.length >= MIN_LENGTH && score >= 2 };
}
