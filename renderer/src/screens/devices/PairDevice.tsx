import { useEffect, useId, useState, type FormEvent } from 'react';
import { describeError } from '../../api/errors';
import { CopyField } from '../../components/CopyField';
import { QrCode } from '../../components/QrCode';
import { formatWhen } from '../../lib/format';
import { deviceLabel, type PeerStatus } from '../../lib/sync-view';
import { useSession } from '../../stores/session';
import { useSpaces } from '../../stores/spaces';
import { useSync } from '../../stores/sync';
import { useUi } from '../../stores/ui';

/** The short code both devices show; people compare it digit by digit, so it is large. */
function Code({ code, testId }: { code: string; testId: string }) {
  return <p className="pair-code" data-testid={testId} aria-label={`Code ${code.split('').join(' ')}`}>{code}</p>;
}

/** Renders once more when `iso` passes (a timer, not a poll: nothing is read). */
function useRerenderAt(iso: string | undefined): void {
  const [, setTick] = useState(0);
  useEffect(() => {
    const ms = iso ? Date.parse(iso) - Date.now() : NaN;
    if (!(ms > 0)) return;
    const t = setTimeout(() => setTick((n) => n + 1), Math.min(ms + 50, 2 ** 31 - 1));
    return () => clearTimeout(t);
  }, [iso]);
}

/** This device is set up: it offers an invite and confirms the new device once the codes match. */
function Offer({ pending }: { pending: PeerStatus[] }) {
  const shown = useSync((s) => s.offer);
  // each connection's code comes from its own handshake: known once the new device has connected
  const offered = useSync((s) => s.status?.offers);
  const offers = offered ?? [];
  // an invite past its expiry goes away by itself
  useRerenderAt(shown?.expires_at);
  const offer = shown && Date.parse(shown.expires_at) > Date.now() ? shown : null;
  const expired = !!shown && !offer;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const run = async (fn: () => Promise<unknown>) => {
    setBusy(true); setError(null);
    try { await fn(); } catch (e) { setError(describeError(e)); } finally { setBusy(false); }
  };
  return (
    <div className="pair-side" data-testid="pair-offer">
      <h3>From this device</h3>
      {!offer && (
        <>
          <p className="muted">{expired ? 'The last invite expired unused. ' : ''}Shows an invite for your new device: as text to paste, and as a QR code. It works once, for 15 minutes.</p>
          <button className="btn primary" type="button" disabled={busy} onClick={() => void run(() => useSync.getState().makeOffer())}>Link a new device</button>
        </>
      )}
      {offer && (
        <>
          <div className="row" style={{ alignItems: 'flex-start', flexWrap: 'wrap' }}>
            <div className="grow" style={{ minWidth: 220 }}>
              <CopyField label="Invite for the new device" value={offer.invite} testId="offer-invite" />
              <p className="muted">Valid until {formatWhen(offer.expires_at)}. The code to compare appears here when the new device connects.</p>
            </div>
            <QrCode text={offer.invite} label="The invite as a QR code" size={168} />
          </div>
          {!pending.length && <p className="muted" role="status">Waiting for the new device to use the invite…</p>}
          <button className="btn small" type="button" onClick={() => useSync.getState().clearOffer()}>Hide the invite</button>
        </>
      )}
      {pending.map((p) => {
        const o = offers.find((x) => x.device_id === p.device_id);
        return (
          <div className="pair-step" key={p.device_id} data-testid="pending-device">
            {o ? (
              <>
                <p style={{ marginBottom: 0 }}><strong>{deviceLabel(p)}</strong> connected with the invite. This device shows:</p>
                <Code code={o.code} testId="offer-code" />
                <p className="muted">Confirm only if the new device shows the same code. Nothing is trusted until both of you confirm.</p>
                {o.confirmed_here
                  ? <p role="status">Confirmed here. Now confirm on the new device.</p>
                  : (
                    <button className="btn primary" type="button" disabled={busy} onClick={() => void run(async () => {
                      const linked = await useSync.getState().confirm(p.device_id);
                      useUi.getState().notify(linked === 'trusted' ? 'Device linked: it receives your spaces now' : 'Confirmed here: now confirm on the new device');
                    })}>
                      Codes match: confirm
                    </button>
                  )}
              </>
            ) : (
              <p><strong>{deviceLabel(p)}</strong> used an invite, but the pairing connection was lost: offer a new invite to link it.</p>
            )}
          </div>
        );
      })}
      {error && <p className="error" role="alert">{error}</p>}
    </div>
  );
}

/** This is the new device: it takes the invite, shows the code, and confirms. */
function Accept() {
  const pairing = useSync((s) => s.status?.pairing ?? null);
  const hasMemories = useSpaces((s) => s.spaces.some((x) => (x.memory_count ?? 0) > 0));
  const [invite, setInvite] = useState('');
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const id = useId();
  const run = async (fn: () => Promise<unknown>) => {
    setBusy(true); setError(null);
    try { await fn(); } catch (e) { setError(describeError(e)); } finally { setBusy(false); }
  };
  const submit = (e: FormEvent) => {
    e.preventDefault();
    const text = invite.trim();
    if (text) void run(async () => { await useSync.getState().accept(text); setInvite(''); });
  };
  return (
    <div className="pair-side" data-testid="pair-accept">
      <h3>On a new device</h3>
      {!pairing && hasMemories && (
        <p className="muted">This device already holds memories, so it offers invites; a new device (one without memories) accepts them here.</p>
      )}
      {!pairing && !hasMemories && (
        <form onSubmit={submit}>
          <div className="field">
            <label htmlFor={id}>Invite from your other device</label>
            <textarea id={id} className="mono token" rows={3} value={invite} onChange={(e) => setInvite(e.target.value)} placeholder="mos1.…" spellCheck={false} />
          </div>
          <p className="muted">This device then takes on your other device’s spaces.</p>
          <button className="btn primary" type="submit" disabled={busy || !invite.trim()}>Connect</button>
        </form>
      )}
      {pairing && !pairing.confirmed && (
        <div className="pair-step">
          <p style={{ marginBottom: 0 }}>Your other device should show this code:</p>
          <Code code={pairing.code} testId="accept-code" />
          <button className="btn primary" type="button" disabled={busy} onClick={() => void run(() => useSync.getState().confirm(pairing.from_device))}>Codes match: confirm</button>
        </div>
      )}
      {pairing?.confirmed && (
        <p role="status" data-testid="pair-waiting">Confirmed here (code {pairing.code}). {pairing.keys_received ? 'Receiving your keys…' : 'Now confirm on your other device too: nothing is trusted until both of you confirm.'}</p>
      )}
      {error && <p className="error" role="alert">{error}</p>}
    </div>
  );
}

/** Linking another device of the same person (SPEC §7: both screens show the same code). */
export function PairDevice() {
  const me = useSession((s) => s.status?.member_id ?? null);
  const peers = useSync((s) => s.status?.peers);
  // selected whole and filtered here: a selector returning a new array would re-render forever
  const pending = (peers ?? []).filter((p) => p.status === 'pending' && p.member_id === me);
  return (
    <section className="card" aria-labelledby="pair-title">
      <h2 id="pair-title">Link a device</h2>
      <div className="pair">
        <Offer pending={pending} />
        <Accept />
      </div>
    </section>
  );
}
