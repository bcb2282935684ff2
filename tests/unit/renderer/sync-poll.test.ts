import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ApiClient } from '../../../renderer/src/api/client';
import type { Transport } from '../../../renderer/src/api/transport';
import { setClient } from '../../../renderer/src/stores/client';
import { POLL_MS, useSync } from '../../../renderer/src/stores/sync';

const STATUS = { running: true, device_id: null, listening: null, hyperswarm: false, refused: {}, pairing: null, spaces: [], peers: [] };

/** A transport that answers sync.status and device.list, each after the test lets it. */
function fakeHost() {
  const calls: string[] = [];
  const waiting: (() => void)[] = [];
  const transport: Transport = {
    kind: 'websocket',
    call(method) {
      calls.push(method);
      const answer = method === 'sync.status' ? STATUS : method === 'device.list' ? { devices: [] } : {};
      return new Promise((res) => waiting.push(() => res(answer)));
    },
    subscribe: () => () => {},
  };
  setClient(new ApiClient(transport));
  const answerAll = async () => { while (waiting.length) waiting.shift()!(); await vi.advanceTimersByTimeAsync(0); };
  return { calls, answerAll };
}

beforeEach(() => { vi.useFakeTimers(); useSync.getState().reset(); });
afterEach(() => { useSync.getState().reset(); vi.useRealTimers(); });

describe('the Devices & sync poll', () => {
  it('polls sync.status only (the device list follows events), and only while watched', async () => {
    const { calls, answerAll } = fakeHost();
    const unwatch = useSync.getState().watch();
    await answerAll();
    expect(calls.sort()).toEqual(['device.list', 'sync.status']); // opening reads both
    calls.length = 0;
    for (let i = 0; i < 3; i++) { await vi.advanceTimersByTimeAsync(POLL_MS); await answerAll(); }
    expect(calls).toEqual(['sync.status', 'sync.status', 'sync.status']);
    unwatch();
    calls.length = 0;
    await vi.advanceTimersByTimeAsync(POLL_MS * 5);
    expect(calls).toEqual([]);
  });

  it('a slow host gets one read at a time; a read asked for by an event runs once more after it', async () => {
    const { calls, answerAll } = fakeHost();
    const unwatch = useSync.getState().watch();
    await vi.advanceTimersByTimeAsync(POLL_MS * 3); // polls while the first read hangs: they join it
    expect(calls.filter((c) => c === 'sync.status')).toHaveLength(1);
    // an event (say PRESENCE_DEVICE_CHANGED) arrives meanwhile: live-events calls load()
    const loaded = useSync.getState().load();
    void useSync.getState().load(); // a second one joins the queued read
    await answerAll();
    await answerAll();
    await loaded;
    expect(calls.filter((c) => c === 'sync.status')).toHaveLength(2);
    expect(calls.filter((c) => c === 'device.list')).toHaveLength(2);
    unwatch();
  });
});
