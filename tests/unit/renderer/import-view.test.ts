import { describe, expect, it } from 'vitest';
import { asImportReport, cleanPath, formatLabel, isAbsolutePath, reportSentence } from '../../../renderer/src/lib/import-view';

describe('the import dialog’s words (issue 12)', () => {
  it('reads a report from a done import job, and refuses what is not one', () => {
    const r = asImportReport({ format: 'enex', read: 4, imported: 3, skipped_duplicates: 0, failed: [{ path: 'family.enex#3', reason: 'the note is never closed' }, { bad: 1 }], warnings: [], failed_count: 1, warnings_count: 0, dry_run: true });
    expect(r).toEqual({ format: 'enex', read: 4, imported: 3, skipped_duplicates: 0, failed: [{ path: 'family.enex#3', reason: 'the note is never closed' }], warnings: [], failed_count: 1, warnings_count: 0, dry_run: true });
    expect(asImportReport(null)).toBeNull();
    expect(asImportReport({ path: '/x.zip', bytes: 3 })).toBeNull(); // an export's result
    // counts are never below the listed items (the list holds the first 1000)
    expect(asImportReport({ read: 2, imported: 0, failed: [{ path: 'a', reason: 'b' }] })!.failed_count).toBe(1);
  });

  it('says what would happen, and what happened', () => {
    const base = { format: 'markdown', read: 5, imported: 3, skipped_duplicates: 1, failed: [], warnings: [], failed_count: 1, warnings_count: 0 };
    expect(reportSentence({ ...base, dry_run: true })).toBe('3 memories would be imported, 1 is already here, 1 item could not be read (of 5 items read).');
    expect(reportSentence({ ...base, imported: 1, skipped_duplicates: 0, failed_count: 0, dry_run: false })).toBe('1 memory imported (of 5 items read).');
    expect(formatLabel('keep')).toBe('Google Keep (Takeout)');
    expect(formatLabel('something')).toBe('something');
  });

  it('takes a pasted path with quotes or a file:// prefix, and knows an absolute one', () => {
    expect(cleanPath('  "/home/ana/My Notes"  ')).toBe('/home/ana/My Notes');
    expect(cleanPath('file:///home/ana/My%20Notes/export.enex')).toBe('/home/ana/My Notes/export.enex');
    expect(cleanPath('file:///C:/Users/Ana/Notes')).toBe('C:/Users/Ana/Notes');
    expect(isAbsolutePath('/home/ana')).toBe(true);
    expect(isAbsolutePath('C:\\Users\\Ana')).toBe(true);
    expect(isAbsolutePath('Notes/export.enex')).toBe(false);
  });
});

describe('import.run’s refusals in people’s words', () => {
  it('says what to do about a missing path, an unknown format, an encrypted backup and a wrong passphrase', async () => {
    const { ApiCallError, describeError, jobErrorSentence } = await import('../../../renderer/src/api/errors');
    const say = (code: string, message: string) => describeError(new ApiCallError(code as never, message, null, 'import.run'));
    expect(say('INVALID_INPUT', 'there is no file or folder at path')).toBe('There is nothing at that path on this computer. Check it, and that the export is finished.');
    expect(say('INVALID_INPUT', 'the format of path was not recognised: name it with format (markdown, enex, keep, joplin, memoryos)')).toMatch(/^MemoryOS does not recognise/);
    // a failed job's error has no details: the sentence comes from its message
    expect(jobErrorSentence({ code: 'INVALID_INPUT', message: 'the export is encrypted: give its passphrase' }, 'import.run')).toBe('This backup is encrypted: enter its passphrase.');
    expect(jobErrorSentence({ code: 'BAD_CREDENTIALS', message: 'wrong passphrase for the encrypted export' }, 'import.run')).toBe('That passphrase does not open this backup.');
    expect(say('INVALID_INPUT', 'something new')).toMatch(/^MemoryOS could not read an export there/);
  });
});
