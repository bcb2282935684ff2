import type { Handlers } from '../handler';
import { changePassphrase, createVault, lockVault, unlockVault, vaultStatus } from '../../vault/vault';
import { createLocalMember, listMembers } from '../../members/members';
import { listDevices } from '../../members/devices';
import { ApiError } from '../../shared/errors';
import type { Ctx } from '../../app/context';
import { forbidden } from '../../policy/engine';

/** What the app does right after a vault opens: build the search index, commit overdue undo actions. */
export type AfterUnlock = (ctx: Ctx) => void;

export function vaultHandlers(afterUnlock: AfterUnlock): Pick<Handlers, 'vault.status' | 'vault.create' | 'vault.unlock' | 'vault.lock' | 'vault.changePassphrase' | 'member.list' | 'member.create' | 'device.list'> {
  return {
    'vault.status': ({ ctx }) => vaultStatus(ctx),
    'vault.create': async ({ ctx }, p) => {
      if (ctx.keyring) throw new ApiError('VAULT_EXISTS', 'a vault is already open');
      const r = await createVault(ctx, p.passphrase, p.name);
      afterUnlock(ctx);
      return r;
    },
    'vault.unlock': async ({ ctx }, p) => {
      const wasLocked = !ctx.keyring;
      const r = await unlockVault(ctx, p);
      if (wasLocked) afterUnlock(ctx);
      return r;
    },
    'vault.lock': ({ ctx }) => lockVault(ctx),
    'vault.changePassphrase': ({ ctx }, p) => changePassphrase(ctx, p.old_passphrase, p.new_passphrase),
    'member.list': ({ ctx }) => ({ members: listMembers(ctx) }),
    'member.create': ({ ctx, actor }, p) => {
      if (actor !== ctx.keyring?.memberId) {
        throw forbidden('NOT_OWNER', 'only the vault owner adds profiles to this device');
      }
      return { member: createLocalMember(ctx, p.name) };
    },
    'device.list': ({ ctx }) => ({ devices: listDevices(ctx) }),
  };
}
