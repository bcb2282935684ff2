import type { Ctx } from '../../context/ctx';
import { ApiError } from '../../shared/errors';
import { changePassphrase, confirmRecoveryKey, createVault, lockVault, newRecoveryKey, unlockVault, vaultStatus } from '../../vault/vault';
import type { HandlersOf } from '../handler';

/** What the app does right after a vault opens: build the search index, commit overdue undo actions. */
export type AfterUnlock = (ctx: Ctx) => void | Promise<void>;

export function vaultHandlers(afterUnlock: AfterUnlock): HandlersOf<'vault'> {
  return {
    'vault.status': ({ ctx }) => vaultStatus(ctx),
    'vault.create': async ({ ctx }, p) => {
      if (ctx.keyring) throw new ApiError('VAULT_EXISTS', 'a vault is already open');
      const r = await createVault(ctx, p.passphrase, p.name);
      await afterUnlock(ctx);
      return r;
    },
    'vault.unlock': async ({ ctx }, p) => {
      const wasLocked = !ctx.keyring;
      const r = await unlockVault(ctx, p);
      if (wasLocked) await afterUnlock(ctx);
      return r;
    },
    'vault.lock': ({ ctx }) => lockVault(ctx),
    'vault.changePassphrase': ({ ctx }, p) => changePassphrase(ctx, p.old_passphrase, p.new_passphrase),
    'vault.confirmRecoveryKey': ({ ctx }, p) => confirmRecoveryKey(ctx, p.recovery_key),
    'vault.newRecoveryKey': ({ ctx }, p) => newRecoveryKey(ctx, p.passphrase),
  };
}
