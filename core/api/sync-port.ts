import type { ApiMethods, Role } from '../../contracts/types';

type Res<M extends keyof ApiMethods> = ApiMethods[M]['response'];

/**
 * What the API asks of peer-to-peer sync. The composition root fills it with the running sync
 * node; the handlers never see the node itself. Null while sync does not run in this process.
 */
export interface SyncPort {
  pairOffer(actor: string): Promise<Res<'device.pairOffer'>>;
  pairAccept(invite: string): Promise<Res<'device.pairAccept'>>;
  /** confirms a device on the pairing's side it is on; false `adopted` unless this device took on its member */
  confirm(deviceId: string): Res<'device.confirm'>;
  spaceInvite(actor: string, space: string, role: Role): Promise<Res<'space.invite'>>;
  join(invite: string): Promise<Res<'space.join'>>;
  connect(address: string): Promise<Res<'sync.connect'>>;
  disconnect(): number;
  status(): Omit<Res<'sync.status'>, 'spaces' | 'running'>;
  /** after a device adopted its member or joined a space: look for that space's peers too */
  announce(): void;
}
