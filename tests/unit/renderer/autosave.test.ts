import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { createAutosave, flushAutosaves, trackAutosave, type AutosaveState } from '../../../renderer/src/lib/autosave';

const DELAY = 700; // the editor's delay

/** A promise settled from the test: a save that takes as long as the test says. */
function deferred<T = void>() {
  let resolve!: (v: T) => void;
  let reject!: (e: unknown) => void;
  const promise = new Promise<T>((res, rej) => { resolve = res; reject = rej; });
  return { promise, resolve, reject };
}

/**
 * A fake host holding one saved text. Each save waits for the test to settle it (unless `instant`),
 * and the test sees every save that started and how many ran at once.
 */
function harness(opts: { instant?: boolean; maxRetryMs?: number } = {}) {
  const h = {
    saved: '',
    sent: [] as string[],
    running: 0,
    maxRunning: 0,
    pending: [] as ReturnType<typeof deferred>[],
    states: [] as AutosaveState['status'][],
    failNext: null as Error | null,
  };
  const saver = createAutosave<string>({
    delayMs: DELAY,
    maxRetryMs: opts.maxRetryMs,
    isSaved: (d) => d === h.saved,
    onState: (s) => h.states.push(s.status),
    async save(d) {
      h.sent.push(d);
      h.running++;
      h.maxRunning = Math.max(h.maxRunning, h.running);
      try {
        if (h.failNext) { const e = h.failNext; h.failNext = null; throw e; }
        if (!opts.instant) { const w = deferred(); h.pending.push(w); await w.promise; }
        h.saved = d;
      } finally {
        h.running--;
      }
    },
  });
  /** settles the oldest running save */
  const finish = async () => { h.pending.shift()!.resolve(); await vi.advanceTimersByTimeAsync(0); };
  return { h, saver, finish };
}

beforeEach(() => { vi.useFakeTimers(); });
afterEach(() => { vi.useRealTimers(); });

describe('autosave (the editor’s, without React)', () => {
  it('debounces: one save of the latest draft, delayMs after the last edit', async () => {
    const { h, saver } = harness({ instant: true });
    saver.edit('a');
    await vi.advanceTimersByTimeAsync(500);
    saver.edit('ab');
    await vi.advanceTimersByTimeAsync(500);
    saver.edit('abc');
    expect(saver.state.status).toBe('pending');
    await vi.advanceTimersByTimeAsync(DELAY - 1);
    expect(h.sent).toEqual([]);
    await vi.advanceTimersByTimeAsync(1);
    expect(h.sent).toEqual(['abc']);
    expect(h.saved).toBe('abc');
    expect(saver.state).toEqual({ status: 'saved', error: null });
    expect(h.states).toEqual(['pending', 'saving', 'saved']);
  });

  it('does not save a draft that equals what is saved (the draft of a memory just opened, or edited back)', async () => {
    const { h, saver } = harness({ instant: true });
    saver.edit('');
    expect(saver.state.status).toBe('saved');
    saver.edit('x');
    expect(saver.state.status).toBe('pending');
    saver.edit('');
    expect(saver.state.status).toBe('saved');
    await vi.advanceTimersByTimeAsync(DELAY * 3);
    expect(h.sent).toEqual([]);
  });

  it('runs one save at a time; what is typed during a save is saved after it', async () => {
    const { h, saver, finish } = harness();
    saver.edit('a');
    await vi.advanceTimersByTimeAsync(DELAY);
    expect(h.sent).toEqual(['a']);
    expect(saver.state.status).toBe('saving');
    saver.edit('ab'); // typed while "a" is being saved
    await vi.advanceTimersByTimeAsync(DELAY * 2); // the debounce ends during the save: no second save
    expect(h.sent).toEqual(['a']);
    expect(saver.state.status).toBe('saving');
    await finish();
    expect(h.saved).toBe('a');
    expect(saver.state.status).toBe('pending');
    await vi.advanceTimersByTimeAsync(DELAY);
    expect(h.sent).toEqual(['a', 'ab']);
    await finish();
    expect(h.saved).toBe('ab');
    expect(saver.state.status).toBe('saved');
    expect(h.maxRunning).toBe(1);
  });

  it('flush() saves a pending edit at once and resolves when it is saved', async () => {
    const { h, saver, finish } = harness();
    saver.edit('typed and left within 0.7 s');
    let done: boolean | null = null;
    const p = saver.flush().then((ok) => { done = ok; });
    await vi.advanceTimersByTimeAsync(0);
    expect(h.sent).toEqual(['typed and left within 0.7 s']); // no waiting for the debounce
    expect(done).toBeNull(); // still saving
    await finish();
    await p;
    expect(done).toBe(true);
    expect(h.saved).toBe('typed and left within 0.7 s');
    await vi.advanceTimersByTimeAsync(DELAY * 2);
    expect(h.sent).toHaveLength(1); // the cancelled debounce does not save again
  });

  it('flush() during a save waits for it, then saves the newer edit; concurrent flushes join', async () => {
    const { h, saver, finish } = harness();
    saver.edit('a');
    await vi.advanceTimersByTimeAsync(DELAY);
    saver.edit('ab');
    const first = saver.flush();
    const second = saver.flush();
    expect(second).toBe(first);
    await vi.advanceTimersByTimeAsync(0);
    expect(h.sent).toEqual(['a']); // still one at a time
    await finish();
    expect(h.sent).toEqual(['a', 'ab']);
    await finish();
    await expect(first).resolves.toBe(true);
    expect(h.saved).toBe('ab');
    expect(h.maxRunning).toBe(1);
  });

  it('flush() with nothing pending resolves true without saving', async () => {
    const { h, saver } = harness({ instant: true });
    await expect(saver.flush()).resolves.toBe(true);
    saver.edit('');
    await expect(saver.flush()).resolves.toBe(true);
    expect(h.sent).toEqual([]);
  });

  it('a failed save keeps the edit pending, reports the error, and the edit is saved later', async () => {
    const { h, saver } = harness({ instant: true });
    const boom = new Error('the host did not answer');
    h.failNext = boom;
    saver.edit('important');
    await vi.advanceTimersByTimeAsync(DELAY);
    expect(h.sent).toEqual(['important']);
    expect(saver.state).toEqual({ status: 'error', error: boom });
    expect(h.saved).toBe('');
    // flush() tries again at once
    h.failNext = boom;
    await expect(saver.flush()).resolves.toBe(false);
    expect(saver.state.status).toBe('error');
    await expect(saver.flush()).resolves.toBe(true);
    expect(h.saved).toBe('important');
    expect(saver.state).toEqual({ status: 'saved', error: null });
  });

  it('after a failure the next edit saves everything pending', async () => {
    const { h, saver } = harness({ instant: true });
    h.failNext = new Error('offline');
    saver.edit('a');
    await vi.advanceTimersByTimeAsync(DELAY);
    expect(saver.state.status).toBe('error');
    saver.edit('ab');
    expect(saver.state.status).toBe('pending');
    await vi.advanceTimersByTimeAsync(DELAY);
    expect(h.sent).toEqual(['a', 'ab']);
    expect(h.saved).toBe('ab');
  });

  it('retries a failed save by itself, backing off (delayMs, doubling, capped)', async () => {
    const { h, saver } = harness({ instant: true, maxRetryMs: 2000 });
    const fail = () => { h.failNext = new Error('offline'); };
    fail();
    saver.edit('a');
    await vi.advanceTimersByTimeAsync(DELAY); // 1st try fails
    fail();
    await vi.advanceTimersByTimeAsync(DELAY - 1);
    expect(h.sent).toHaveLength(1);
    await vi.advanceTimersByTimeAsync(1); // 2nd try after 700 ms fails
    expect(h.sent).toHaveLength(2);
    fail();
    await vi.advanceTimersByTimeAsync(1400); // 3rd after 1400 ms fails
    expect(h.sent).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(1999);
    expect(h.sent).toHaveLength(3);
    await vi.advanceTimersByTimeAsync(1); // 4th after 2000 ms (the cap, not 2800), succeeds
    expect(h.sent).toHaveLength(4);
    expect(saver.state.status).toBe('saved');
    await vi.advanceTimersByTimeAsync(60_000);
    expect(h.sent).toHaveLength(4);
  });

  it('applies the update a save resolves to (fields merged on the host) to the latest draft', async () => {
    type Note = { title: string; body: string };
    let saved: Note = { title: '', body: '' };
    const hostAnswers: ReturnType<typeof deferred<Note>>[] = [];
    const sent: Note[] = [];
    const same = (a: Note, b: Note) => a.title === b.title && a.body === b.body;
    const saver = createAutosave<Note>({
      delayMs: DELAY,
      isSaved: (d) => same(d, saved),
      async save(d) {
        const before = saved;
        sent.push(d);
        const x = deferred<Note>();
        hostAnswers.push(x);
        saved = await x.promise;
        // the editor's rule (lib/patch.ts mergeDraft): a field typed since `before` stays as typed
        return (cur) => ({
          title: cur.title !== before.title ? cur.title : saved.title,
          body: cur.body !== before.body ? cur.body : saved.body,
        });
      },
    });
    saver.edit({ title: 'Lake', body: '' });
    const flushed = saver.flush();
    await vi.advanceTimersByTimeAsync(0);
    hostAnswers.shift()!.resolve({ title: 'Lake', body: 'from the other device' });
    await expect(flushed).resolves.toBe(true);
    expect(saver.state.status).toBe('saved'); // the merged draft is what is saved: nothing pending

    saver.edit({ title: 'Lake trip', body: 'from the other device' });
    await vi.advanceTimersByTimeAsync(DELAY); // saving "Lake trip"
    saver.edit({ title: 'Lake trip!', body: 'from the other device' }); // typed during the save
    hostAnswers.shift()!.resolve({ title: 'Lake trip', body: 'edited there too' });
    await vi.advanceTimersByTimeAsync(0);
    expect(saver.state.status).toBe('pending'); // "Lake trip!" is not saved yet
    await vi.advanceTimersByTimeAsync(DELAY);
    hostAnswers.shift()!.resolve({ title: 'Lake trip!', body: 'edited there too' });
    await vi.advanceTimersByTimeAsync(0);
    // the last save sent the merged body, not the stale one typed on before the answer came
    expect(sent[2]).toEqual({ title: 'Lake trip!', body: 'edited there too' });
    expect(saver.state.status).toBe('saved');
  });

  it('close() saves what is pending and then sets no more timers; resume() autosaves again', async () => {
    const { h, saver } = harness({ instant: true });
    saver.edit('last words');
    await expect(saver.close()).resolves.toBe(true);
    expect(h.saved).toBe('last words');
    // a failed save after close is not retried in the background
    h.failNext = new Error('locked');
    saver.edit('after');
    await vi.advanceTimersByTimeAsync(DELAY * 100);
    expect(h.sent).toEqual(['last words']);
    saver.resume();
    saver.edit('again');
    await vi.advanceTimersByTimeAsync(DELAY);
    expect(h.sent).toEqual(['last words', 'again']);
  });
});

describe('flushAutosaves (before the vault locks)', () => {
  it('saves the pending edit of every tracked autosave at once', async () => {
    const one = harness({ instant: true });
    const two = harness({ instant: true });
    const gone = harness({ instant: true });
    const untrack = [trackAutosave(one.saver), trackAutosave(two.saver), trackAutosave(gone.saver)];
    untrack[2](); // an editor that went away
    one.saver.edit('one');
    two.saver.edit('two');
    gone.saver.edit('gone');
    await expect(flushAutosaves()).resolves.toBe(true);
    expect([one.h.saved, two.h.saved, gone.h.saved]).toEqual(['one', 'two', '']);
    two.h.failNext = new Error('no');
    two.saver.edit('two!');
    await expect(flushAutosaves()).resolves.toBe(false);
    untrack.forEach((u) => u());
  });
});
