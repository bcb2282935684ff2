import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { safeStorage } from 'electron';
import { canRememberUnlock } from './security/safe-storage-policy';

/**
 * Remembers the vault's passphrase with safeStorage so the desktop app can unlock at launch, only
 * where the OS keychain protects it (canRememberUnlock). Anywhere else nothing is stored and any
 * old file is removed.
 */
export class UnlockMemory {
  private readonly file: string;
  constructor(userDataDir: string) {
    this.file = join(userDataDir, 'vault-unlock.bin');
  }

  available(): boolean {
    return canRememberUnlock({
      platform: process.platform,
      encryptionAvailable: safeStorage.isEncryptionAvailable(),
      linuxBackend: process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : null,
    });
  }

  remember(passphrase: string): void {
    if (!this.available()) { this.forget(); return; }
    writeFileSync(this.file, safeStorage.encryptString(passphrase), { mode: 0o600 });
  }

  recall(): string | null {
    if (!this.available()) { this.forget(); return null; }
    if (!existsSync(this.file)) return null;
    try { return safeStorage.decryptString(readFileSync(this.file)); } catch { this.forget(); return null; }
  }

  forget(): void {
    rmSync(this.file, { force: true });
  }
}
