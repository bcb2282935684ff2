import { keys, type Ctx } from '../context/ctx';
import { iso } from '../shared/time';
import { remoteDevices } from '../members/devices';
import { syncPeersTable } from '../store/tables/sync-peers';
import type { Adoption, Offer } from './pairing';
import type { Listener, Swarm } from './ports';
import type { Session } from './session';

/** What the status report reads of a node. */
export interface StatusSource {
  readonly ctx: Ctx;
  readonly sessions: ReadonlySet<Session>;
  readonly refused: Record<string, number>;
  readonly direct: Listener | null;
  readonly swarm: Swarm | null;
  readonly pairing: { readonly adoption: Adoption | null; readonly offers: ReadonlyMap<string, Offer> };
  addressHints(): string[];
  sharedSpaces(peerDevice: string): string[];
}

/** What sync.status reports of a running node: where it listens, refusals, pairing, and each peer per space. */
export function syncStatus(node: StatusSource) {
  const ctx = node.ctx;
  const adoption = node.pairing.adoption;
  const out = {
    device_id: keys(ctx).deviceId,
    listening: node.direct ? { port: node.direct.port, hints: node.addressHints() } : null,
    hyperswarm: !!node.swarm,
    refused: { ...node.refused },
    pairing: adoption ? { from_device: adoption.from, code: adoption.code, keys_received: !!adoption.keys, confirmed: adoption.confirmed } : null,
    // the offering side: each new device connected for pairing, the code of its connection, who confirmed
    offers: [...node.pairing.offers.values()].map((o) => ({ device_id: o.device_id, code: o.code, confirmed_here: o.confirmedHere, confirmed_there: o.peerCode !== null })),
    peers: [] as unknown[],
  };
  for (const r of remoteDevices(ctx)) {
    const live = [...node.sessions].filter((s) => s.peerDevice === r.device_id && !s.closed);
    const stored = new Map(syncPeersTable.ofDevice(ctx.db, r.device_id).map((x) => [x.space_id, x]));
    const spaces = node.sharedSpaces(r.device_id).map((space) => {
      const st = live.map((s) => s.status(space)).find((x) => x) ?? null;
      const p = stored.get(space);
      return {
        space_id: space, behind: st?.behind ?? null, ahead: st?.ahead ?? null,
        verified_up_to_date: !!st?.verified,
        verified_at: st?.verified_at ? iso(st.verified_at) : p?.verified_at ? iso(p.verified_at) : null,
      };
    });
    const lastSeen = live.length ? Math.max(...live.map((s) => s.lastSeen)) : Math.max(0, ...[...stored.values()].map((x) => x.last_seen ?? 0));
    out.peers.push({
      device_id: r.device_id, member_id: r.member_id, status: r.status, connected: live.length > 0,
      transport: live[0]?.opts.transport ?? null, last_seen: lastSeen ? iso(lastSeen) : null, spaces,
    });
  }
  return out;
}
