import { create } from 'zustand';
import type { Attachment } from '../../../contracts/types';
import { describeError } from '../api/errors';
import { baseName, inlineImageType, INLINE_MAX_BYTES, INLINE_MAX_MB, mimeOf, pastedName, smallerImage } from '../lib/attachment-view';
import { api } from './client';

/**
 * A memory's files in the editor (issue 12): the list (attachment.list), the bytes of the ones
 * shown (attachment.get as data_base64, kept as a data: URL — the CSP of both hosts allows images
 * from data: and not from blob:), and the files being added (read in this window, then
 * attachment.add with data_base64, or by a path on this computer for large ones).
 */
export interface Upload {
  key: number;
  memoryId: string;
  name: string;
  size: number;
  /** reading the file in this window, then the core encrypting and storing it */
  phase: 'reading' | 'saving';
  loaded: number;
  error: string | null;
  /** refused for its size in this window: it may still be added by its path */
  tooLarge: boolean;
  /** a picture refused for its size: a smaller copy of it may be added instead */
  canShrink: boolean;
}

export type FileBytes = { status: 'loading' } | { status: 'ready'; url: string } | { status: 'error'; error: string };

interface AttachmentsState {
  /** by memory id: its files, oldest first */
  lists: Record<string, Attachment[]>;
  /** by attachment id */
  known: Record<string, Attachment>;
  /** by attachment id: the bytes as a data: URL, for inline images */
  bytes: Record<string, FileBytes>;
  uploads: Upload[];
  load(memoryId: string): Promise<void>;
  /** the bytes of a file as a data: URL (read once, then kept while the vault is open) */
  fetch(attachmentId: string): Promise<string>;
  /** adds a file picked, dropped or pasted in this window; null when it was refused (the upload row says why) */
  addFile(memoryId: string, file: File): Promise<Attachment | null>;
  /** adds a file by its path on this computer (any size up to the setting) */
  addPath(memoryId: string, path: string): Promise<Attachment | null>;
  /** attachment.get {out}: the decrypted file written to a path on this computer (any size) */
  saveTo(attachmentId: string, path: string): Promise<string>;
  remove(attachment: Attachment): Promise<void>;
  dismissUpload(key: number): void;
  /** for a picture refused for its size: a smaller copy (lib/attachment-view smallerImage) added instead */
  addSmaller(key: number): Promise<Attachment | null>;
  reset(): void;
}

let nextKey = 1;
/** pictures refused for their size, by upload key, until a smaller copy is made or the row dismissed */
const refused = new Map<number, File>();
/** inline images kept in memory at most (the rest are read again when shown) */
const KEEP_BYTES = 64 * 1024 * 1024;
let keptBytes = 0;
const kept: string[] = [];

function readAsBase64(file: File, onProgress: (loaded: number) => void): Promise<string> {
  return new Promise((resolve, reject) => {
    const r = new FileReader();
    r.onprogress = (e) => onProgress(e.loaded);
    r.onerror = () => reject(new Error(`“${file.name}” could not be read: ${r.error?.message ?? 'the browser refused'}.`));
    r.onload = () => {
      const url = String(r.result ?? '');
      resolve(url.slice(url.indexOf(',') + 1));
    };
    r.readAsDataURL(file);
  });
}

export const useAttachments = create<AttachmentsState>((set, get) => {
  const patchUpload = (key: number, p: Partial<Upload>) => set({ uploads: get().uploads.map((u) => (u.key === key ? { ...u, ...p } : u)) });
  const learn = (a: Attachment) => {
    const list = get().lists[a.memory_id] ?? [];
    set({
      known: { ...get().known, [a.attachment_id]: a },
      lists: { ...get().lists, [a.memory_id]: list.some((x) => x.attachment_id === a.attachment_id) ? list : [...list, a] },
    });
  };
  /** one upload: a row with its progress while it runs; the row stays with the reason if it fails */
  const upload = async (memoryId: string, name: string, size: number, send: (key: number) => Promise<Attachment>) => {
    const key = nextKey++;
    set({ uploads: [...get().uploads, { key, memoryId, name, size, phase: 'reading', loaded: 0, error: null, tooLarge: false, canShrink: false }] });
    try {
      const a = await send(key);
      learn(a);
      set({ uploads: get().uploads.filter((u) => u.key !== key) });
      return a;
    } catch (e) {
      patchUpload(key, { error: describeError(e) });
      return null;
    }
  };

  return {
    lists: {}, known: {}, bytes: {}, uploads: [],
    async load(memoryId) {
      const { attachments } = await api().call('attachment.list', { memory_id: memoryId });
      const known = { ...get().known };
      for (const a of attachments) known[a.attachment_id] = a;
      set({ lists: { ...get().lists, [memoryId]: attachments }, known });
    },
    async fetch(id) {
      const have = get().bytes[id];
      if (have?.status === 'ready') return have.url;
      set({ bytes: { ...get().bytes, [id]: { status: 'loading' } } });
      try {
        const r = await api().call('attachment.get', { attachment_id: id });
        learn(r.attachment);
        const url = `data:${inlineImageType(r.attachment.mime) ?? 'application/octet-stream'};base64,${r.data_base64 ?? ''}`;
        // keep the newest ones only: a memory full of photos should not fill this window's memory
        keptBytes += url.length; kept.push(id);
        const bytes = { ...get().bytes, [id]: { status: 'ready', url } as FileBytes };
        while (keptBytes > KEEP_BYTES && kept.length > 1) {
          const old = kept.shift()!;
          const o = bytes[old];
          if (o?.status === 'ready') keptBytes -= o.url.length;
          delete bytes[old];
        }
        set({ bytes });
        return url;
      } catch (e) {
        set({ bytes: { ...get().bytes, [id]: { status: 'error', error: describeError(e) } } });
        throw e;
      }
    },
    addFile(memoryId, file) {
      const name = file.name || pastedName(file.type);
      return upload(memoryId, name, file.size, async (key) => {
        if (file.size > INLINE_MAX_BYTES) {
          const canShrink = file.type.startsWith('image/');
          if (canShrink) refused.set(key, file);
          patchUpload(key, { tooLarge: true, canShrink });
          throw new Error(`“${name}” is larger than this window can send (${INLINE_MAX_MB} MB): add it by its path on this computer instead.`);
        }
        const data = await readAsBase64(file, (loaded) => patchUpload(key, { loaded }));
        patchUpload(key, { phase: 'saving', loaded: file.size });
        const { attachment } = await api().call('attachment.add', {
          memory_id: memoryId, data_base64: data,
          name, mime: mimeOf(file.type, name),
        });
        return attachment;
      });
    },
    addPath(memoryId, path) {
      return upload(memoryId, baseName(path), 0, async (key) => {
        patchUpload(key, { phase: 'saving' });
        const { attachment } = await api().call('attachment.add', { memory_id: memoryId, path, name: baseName(path), mime: mimeOf('', path) });
        return attachment;
      });
    },
    async saveTo(id, path) {
      const r = await api().call('attachment.get', { attachment_id: id, out: path });
      return r.out ?? path;
    },
    async remove(a) {
      await api().call('attachment.delete', { attachment_id: a.attachment_id });
      const known = { ...get().known }; delete known[a.attachment_id];
      const bytes = { ...get().bytes }; delete bytes[a.attachment_id];
      set({ known, bytes, lists: { ...get().lists, [a.memory_id]: (get().lists[a.memory_id] ?? []).filter((x) => x.attachment_id !== a.attachment_id) } });
    },
    dismissUpload(key) {
      refused.delete(key);
      set({ uploads: get().uploads.filter((u) => u.key !== key) });
    },
    async addSmaller(key) {
      const file = refused.get(key);
      const row = get().uploads.find((u) => u.key === key);
      if (!file || !row) return null;
      patchUpload(key, { error: null, phase: 'reading', loaded: 0 });
      const copy = await smallerImage(file);
      if (!copy) { patchUpload(key, { error: `“${row.name}” is a picture this window cannot draw, so it cannot make a smaller copy: add it by its path instead.`, canShrink: false }); return null; }
      get().dismissUpload(key);
      return get().addFile(row.memoryId, copy);
    },
    reset() {
      keptBytes = 0; kept.length = 0; refused.clear();
      set({ lists: {}, known: {}, bytes: {}, uploads: [] });
    },
  };
});
