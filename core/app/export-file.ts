/**
 * What a door may do with an export file without opening a vault: check it (`memoryos
 * verify-export`). The archive code is pure (no database, no keys), so this needs no app.
 */
export { isEncryptedArchive, verifyExport, type VerifyResult } from '../privacy/archive';
export { initCrypto } from '../crypto/sodium';
