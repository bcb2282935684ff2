import { existsSync, renameSync, rmSync } from 'node:fs';
import { ApiError } from '../shared/errors';
import { DB_FILE, closeDatabase, databaseState, dbPath, openDatabase, storeHealth, type Db } from './database';
import { encryptInPlace, needsConversion, recoverConversion } from './encrypt-in-place';

const CREATING = `${DB_FILE}.creating`;

/**
 * The vault database as the app holds it: closed while the vault is locked (nothing reads it;
 * its pages cannot be read without the key), opened with the key at unlock, closed again at lock.
 * `db` is what every repository uses; asked for while closed it is LOCKED.
 */
export class Store {
  private handle: Db | null = null;

  constructor(readonly dataDir: string, private readonly nativeBinding?: string) {}

  get db(): Db {
    if (!this.handle) throw new ApiError('LOCKED', 'the vault is locked: its database opens when it unlocks');
    return this.handle;
  }

  get isOpen(): boolean { return !!this.handle; }

  /** What is on disk, after finishing or undoing any conversion or creation a crash interrupted. */
  state(): 'none' | 'plaintext' | 'encrypted' {
    if (!this.handle) {
      recoverConversion(this.dataDir);
      // a creation that crashed before its header was written is no vault: its key died with it
      if (existsSync(dbPath(this.dataDir, CREATING)) && databaseState(dbPath(this.dataDir)) === 'none') this.discardCreation();
    }
    return databaseState(dbPath(this.dataDir));
  }

  /** Opens with the key; a plaintext database of an earlier release, or one under an earlier page cipher, is converted in place first. */
  open(key: Uint8Array): Db {
    if (this.handle) return this.handle;
    this.state(); // for its side effect: a conversion or creation a crash interrupted is finished or undone first
    if (needsConversion(this.dataDir, key, this.nativeBinding)) encryptInPlace(this.dataDir, key, this.nativeBinding);
    this.handle = openDatabase(this.dataDir, { key, nativeBinding: this.nativeBinding });
    return this.handle;
  }

  /**
   * A new vault's database, written under a temporary name: `commitCreation` moves it into place
   * once the header that holds its key's source exists, so a crash between the two leaves no
   * database that nothing can open.
   */
  create(key: Uint8Array): Db {
    if (this.handle) throw new Error('the store is open');
    this.discardCreation();
    this.handle = openDatabase(this.dataDir, { key, nativeBinding: this.nativeBinding, file: CREATING });
    return this.handle;
  }

  /** The creation's database into place (after the header is written), reopened there. */
  commitCreation(key: Uint8Array): void {
    if (this.handle) closeDatabase(this.handle);
    this.handle = null;
    renameSync(dbPath(this.dataDir, CREATING), dbPath(this.dataDir));
    this.handle = openDatabase(this.dataDir, { key, nativeBinding: this.nativeBinding });
  }

  /** A plaintext database that holds no vault (an earlier release opened the directory and stopped): removed before a vault is created there. */
  discardPlaintext(): void {
    if (this.handle || databaseState(dbPath(this.dataDir)) !== 'plaintext') return;
    for (const f of ['', '-wal', '-shm', '-journal']) rmSync(dbPath(this.dataDir, DB_FILE + f), { force: true });
  }

  discardCreation(): void {
    if (this.handle) { this.handle.close(); this.handle = null; }
    for (const f of ['', '-wal', '-shm', '-journal']) rmSync(dbPath(this.dataDir, CREATING + f), { force: true });
  }

  /** Closes (the WAL checkpointed into the encrypted file and emptied). */
  close(): void {
    if (!this.handle) return;
    const h = this.handle;
    this.handle = null;
    closeDatabase(h);
  }

  health(): { status: 'ok' | 'down'; detail: string } {
    return this.handle ? storeHealth(this.handle) : { status: 'ok', detail: 'closed (locked): encrypted at rest' };
  }
}
