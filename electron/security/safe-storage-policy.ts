/**
 * Whether the vault's unlock secret may be remembered with Electron's safeStorage. On Linux the
 * backend "basic_text" means no keyring: the "encryption" is a hard-coded key, so remembering
 * there would leave the secret readable to anything that reads the file. Everywhere else the OS
 * keychain (macOS Keychain, Windows DPAPI, libsecret/kwallet) protects it.
 */
export function canRememberUnlock(opts: { platform: string; encryptionAvailable: boolean; linuxBackend?: string | null }): boolean {
  if (!opts.encryptionAvailable) return false;
  if (opts.platform === 'linux') return !!opts.linuxBackend && opts.linuxBackend !== 'basic_text' && opts.linuxBackend !== 'unknown';
  return true;
}
