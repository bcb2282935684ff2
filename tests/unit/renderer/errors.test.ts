import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ApiCallError, describeError, errorSentence, reasonInWords } from '../../../renderer/src/api/errors';

const ROOT = resolve(__dirname, '../../..');
const CODES: string[] = JSON.parse(readFileSync(join(ROOT, 'contracts', 'api', 'error.schema.json'), 'utf8')).properties.error.properties.code.enum;

/** A sentence a person can read: capitalised, ends in a full stop, no code, no method name, no schema talk. */
function expectPeoplesWords(s: string, code: string): void {
  expect(s).toMatch(/^[A-Z]/);
  expect(s).toMatch(/[.]$/);
  expect(s).not.toContain(code);
  expect(s).not.toMatch(/invalid params|[a-z]+\.[a-z]+[A-Z]|_[A-Z]|[A-Z]_|PT\d+M|\bnull\b|undefined/);
}

describe('every API error code has a sentence in people’s words (issue 10, defect 8)', () => {
  it('covers each code of contracts/api/error.schema.json, and transport failures', () => {
    expect(CODES.length).toBeGreaterThanOrEqual(12);
    for (const code of [...CODES, 'TRANSPORT']) {
      const e = new ApiCallError(code as never, `raw core message for ${code}`, null, 'memory.update');
      const s = describeError(e);
      expectPeoplesWords(s, code);
      expect(s).not.toContain('raw core message');
    }
  });

  it('a short wrong passphrase is a wrong passphrase, not "invalid params for vault.unlock"', () => {
    const e = new ApiCallError('INVALID_INPUT', 'invalid params for vault.unlock', { problems: [{ path: '/passphrase', message: 'must NOT have fewer than 8 characters' }, { path: '/', message: 'must match exactly one schema in oneOf' }] }, 'vault.unlock');
    expect(describeError(e)).toBe('That passphrase is not right.');
    expect(describeError(new ApiCallError('BAD_CREDENTIALS', 'wrong passphrase', null, 'vault.unlock'))).toBe('That passphrase is not right.');
    expect(describeError(new ApiCallError('BAD_CREDENTIALS', 'wrong recovery key', null, 'vault.unlock'))).toBe('That recovery key is not right.');
    expect(describeError(new ApiCallError('BAD_CREDENTIALS', 'wrong passphrase', null, 'vault.changePassphrase'))).toBe('The current passphrase is not right.');
  });

  it('names the refused fields of an INVALID_INPUT in words', () => {
    const e = new ApiCallError('INVALID_INPUT', 'invalid params for settings.set', { problems: [{ path: '/settings/undo_window_seconds', message: 'must be integer' }] }, 'settings.set');
    expect(describeError(e)).toBe('This is not accepted: check the undo window (1 second to 7 days).');
    const tags = new ApiCallError('INVALID_INPUT', 'invalid params for memory.update', { problems: [{ path: '/patch/tags/3', message: 'must NOT have more than 200 characters' }] }, 'memory.update');
    expect(describeError(tags)).toContain('a tag');
  });

  it('a denial gives the policy’s reasons in words', () => {
    const e = new ApiCallError('FORBIDDEN', 'a guest reads GREEN only', { reasons: [{ code: 'ROLE_BAND', message: 'a guest reads GREEN only' }] }, 'memory.create');
    expect(describeError(e)).toBe('Not allowed: your role in that space does not allow memories of this band.');
    expect(reasonInWords({ code: 'SOMETHING_NEW', message: 'the core says why' })).toBe('the core says why');
  });

  it('known conflicts and busy states read as what happened', () => {
    expect(errorSentence(new ApiCallError('CONFLICT', 'the action is already committed'))).toBe('Too late to undo: it has already gone through.');
    expect(errorSentence(new ApiCallError('CONFLICT', 'the memory is in the trash'))).toBe('This memory is in the trash: restore it first.');
    expect(errorSentence(new ApiCallError('BUSY', 'no answer from 10.0.0.2:4848'))).toMatch(/^The other device did not answer/);
    expect(errorSentence(new ApiCallError('TRANSPORT', 'memory.get timed out'))).toBe('MemoryOS took too long to answer. Try again.');
  });

  it('profiles: a session bound to another profile, a wrong PIN, too many, a door without sessions', () => {
    const bound = new ApiCallError('FORBIDDEN', 'bound', { reasons: [{ code: 'SESSION_BOUND', message: 'this session is bound to another profile' }] }, 'memory.get');
    expect(errorSentence(bound)).toMatch(/switched to another profile/);
    expect(errorSentence(new ApiCallError('BAD_CREDENTIALS', 'wrong PIN', { pin_required: true }, 'session.switchProfile'))).toBe('That PIN is not right.');
    expect(errorSentence(new ApiCallError('BAD_CREDENTIALS', 'this profile has a PIN: enter it to switch', { pin_required: true }, 'session.switchProfile'))).toBe('This profile has a PIN: enter it to switch.');
    const limited = new ApiCallError('RATE_LIMITED', 'too many', { retry_at: new Date(Date.now() + 4000).toISOString() }, 'session.switchProfile');
    expect(errorSentence(limited)).toMatch(/^Too many wrong PINs: try again in [1-5] s\.$/);
    expectPeoplesWords(errorSentence(limited), 'RATE_LIMITED');
    expect(errorSentence(new ApiCallError('INVALID_INPUT', 'no sessions', { door_has_sessions: false }, 'session.switchProfile'))).toMatch(/^This window cannot switch profiles/);
  });
});
