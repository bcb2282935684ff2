import { useEffect, useState } from 'react';
import { Field } from '../components/Field';
import type { Decision, Memory, MemoryPreviewAsResponse, MemoryShareResponse, Reason, Space } from '../../../contracts/types';
import { ApiCallError, describeError, reasonInWords } from '../api/errors';
import { BandBadge } from '../components/BandBadge';
import { Dialog } from '../components/Dialog';
import { formatDuration } from '../lib/format';
import { kindLabel } from '../lib/kinds';
import { obligationInWords } from '../lib/obligations';
import { toSharePreview, type SharePreview } from '../lib/share-preview';
import { useMemories } from '../stores/memories';
import { useProfiles } from '../stores/profiles';
import { useSettings } from '../stores/settings';
import { spaceById, useSpaces } from '../stores/spaces';
import { useUndo } from '../stores/undo';

const sentence = (s: string) => s.charAt(0).toUpperCase() + s.slice(1) + (/[.!?]$/.test(s) ? '' : '.');

/** The policy's reasons in words; their codes (for whoever needs them) under "Policy details". */
function ReasonList({ reasons, policyVersion }: { reasons: Reason[]; policyVersion?: string }) {
  if (!reasons.length) return null;
  return (
    <div data-testid="share-reasons">
      <ul>{reasons.map((r) => <li key={r.code + r.message}>{sentence(reasonInWords(r))}</li>)}</ul>
      <details className="small">
        <summary>Policy details</summary>
        <ul>{reasons.map((r) => <li key={r.code + r.message}><code>{r.code}</code> {r.message}</li>)}</ul>
        {policyVersion && <p className="muted">Policy version {policyVersion}.</p>}
      </details>
    </div>
  );
}

/**
 * "Preview as …": what one member of the target space would see of this memory there — the
 * core's own decision and redaction for that member (memory.previewAs), nothing decided here.
 */
function PreviewAs({ memory, space }: { memory: Memory; space: Space }) {
  const me = useProfiles((s) => s.current?.member_id);
  const others = space.members.filter((m) => m.member_id !== me);
  const [who, setWho] = useState(others[0]?.member_id ?? '');
  const [shown, setShown] = useState<MemoryPreviewAsResponse | null>(null);
  const [error, setError] = useState<string | null>(null);
  useEffect(() => { setShown(null); setError(null); setWho(others[0]?.member_id ?? ''); }, [space.space_id]);
  if (!others.length) return null;
  const name = others.find((m) => m.member_id === who)?.name ?? 'them';
  const show = async () => {
    setError(null);
    try { setShown(await useProfiles.getState().previewAs(memory.memory_id, who, space.space_id)); } catch (e) { setError(describeError(e)); setShown(null); }
  };
  return (
    <section className="preview-as" aria-label="Preview as" data-testid="preview-as">
      <div className="row">
        <Field label="Preview as"><select value={who} onChange={(e) => { setWho(e.target.value); setShown(null); }} data-testid="preview-as-member">
          {others.map((m) => <option key={m.member_id} value={m.member_id}>{m.name} ({m.role})</option>)}
        </select></Field>
        <button className="btn small" type="button" onClick={() => void show()} data-testid="preview-as-show">Preview as {name}</button>
      </div>
      {error && <p className="error" role="alert">{error}</p>}
      {shown && (shown.memory === null ? (
        <div className="decision deny" data-testid="preview-as-result">
          <p><strong>{name} would not see this memory</strong> in {space.name}.</p>
          <ReasonList reasons={shown.decision.reasons} policyVersion={shown.decision.policy_version} />
        </div>
      ) : (
        <div className="decision allow" data-testid="preview-as-result">
          <p><strong>What {name} would see</strong>{shown.memory.redacted ? ' (parts hidden by the band’s rules)' : ''}:</p>
          <p><strong>{shown.memory.title || '(untitled)'}</strong></p>
          <p className="preview-as-body" data-testid="preview-as-body" style={{ whiteSpace: 'pre-wrap' }}>{shown.memory.body || '(the text is hidden)'}</p>
        </div>
      ))}
    </section>
  );
}

/**
 * Share a memory into another space. The core's decision is shown before confirming (a dry run
 * of the same call); after confirming, the decision of the real call replaces it.
 */
export function ShareDialog({ memory, onClose }: { memory: Memory; onClose(): void }) {
  const spaces = useSpaces((s) => s.spaces);
  const undoWindow = useSettings((s) => s.settings.undo_window_seconds) ?? 900;
  const source = spaceById(spaces, memory.space_id);
  const targets = spaces.filter((s) => s.space_id !== memory.space_id);
  const [target, setTarget] = useState(targets[0]?.space_id ?? '');
  const [consent, setConsent] = useState(false);
  const [busy, setBusy] = useState(false);
  const [result, setResult] = useState<MemoryShareResponse | null>(null);
  const [denied, setDenied] = useState<{ message: string; reasons: Reason[] } | null>(null);
  const dst = spaceById(spaces, target);

  // the core's own decision, asked without changing anything, each time the target or consent changes
  const [preview, setPreview] = useState<SharePreview | null>(null);
  useEffect(() => {
    if (!target) return;
    let live = true;
    setPreview(null);
    useMemories.getState().share(memory.memory_id, target, { consent, dryRun: true })
      .then((r) => { if (live) setPreview(toSharePreview(r.decision, memory.band)); })
      .catch((e) => { if (live) setDenied({ message: describeError(e), reasons: e instanceof ApiCallError ? e.reasons : [] }); });
    return () => { live = false; };
  }, [memory.memory_id, memory.band, target, consent]);

  const confirm = async () => {
    setBusy(true);
    setDenied(null);
    try {
      setResult(await useMemories.getState().share(memory.memory_id, target, { consent }));
    } catch (e) {
      setDenied({ message: describeError(e), reasons: e instanceof ApiCallError ? e.reasons : [] });
    } finally {
      setBusy(false);
    }
  };

  const decisionBox = (d: Pick<Decision, 'effect' | 'reasons' | 'obligations' | 'policy_version'>, title: string) => (
    <div className={`decision ${d.effect === 'DENY' ? 'deny' : 'allow'}`} data-testid="share-decision">
      <p><strong>{title}:</strong> <span className="effect">{d.effect === 'DENY' ? 'Denied' : d.effect === 'ALLOW' ? 'Allowed' : 'Allowed, with parts hidden'}</span></p>
      <ReasonList reasons={d.reasons} policyVersion={d.policy_version} />
      {d.obligations.length > 0 && <p className="muted">What it means: {[...new Set(d.obligations.map(obligationInWords))].join('; ')}.</p>}
    </div>
  );

  if (result) {
    return (
      <Dialog title="Share" onClose={onClose} testId="share-dialog" actions={<>
        {result.status === 'staged' && <button className="btn" type="button" onClick={() => { useUndo.getState().setOpen(true); onClose(); }}>Open undo queue</button>}
        <button className="btn primary" type="button" onClick={onClose} data-autofocus>Done</button>
      </>}>
        <p role="status" data-testid="share-result">
          {result.status === 'shared'
            ? `Shared into ${dst?.name}.`
            : `Staged: the share into ${dst?.name} waits ${formatDuration(result.pending?.seconds_left ?? undoWindow)}, can be undone. Until then nobody else sees it; undo it on the memory or in the undo queue.`}
        </p>
        {decisionBox(result.decision, 'Policy decision')}
      </Dialog>
    );
  }

  return (
    <Dialog title="Share into another space" onClose={onClose} testId="share-dialog" actions={<>
      <button className="btn" type="button" onClick={onClose}>Cancel</button>
      <button className="btn primary" type="button" onClick={() => void confirm()} disabled={busy || !target || preview?.effect !== 'ALLOW'}>
        {/* says when it would happen only once the core has allowed it */}
        {preview?.effect !== 'ALLOW' ? 'Share' : preview.staged ? 'Share (after the undo window)' : 'Share now'}
      </button>
    </>}>
      <p><BandBadge band={memory.band} /> <strong>{memory.title || '(untitled)'}</strong> <span className="muted">from {source?.name}</span></p>
      {targets.length === 0 ? <p className="muted">There is no other space yet. Create one in the sidebar first.</p> : (
        <Field label="Target space"><select value={target} onChange={(e) => { setTarget(e.target.value); setConsent(false); setDenied(null); }} data-testid="share-target">
            {targets.map((s) => <option key={s.space_id} value={s.space_id}>{s.name} ({kindLabel(s.kind)})</option>)}
          </select></Field>
      )}
      {preview && (preview.needsConsent || consent) && (
        <label className="row" style={{ marginBottom: 8 }}>
          <input type="checkbox" checked={consent} onChange={(e) => setConsent(e.target.checked)} data-testid="share-consent" />
          <span>I consent to moving this Amber memory from a {source && kindLabel(source.kind).toLowerCase()} space up to a wider {dst && kindLabel(dst.kind).toLowerCase()} space.</span>
        </label>
      )}
      {dst && <PreviewAs memory={memory} space={dst} />}
      {preview && decisionBox({ ...preview, obligations: preview.effect === 'ALLOW' ? preview.obligations : [] }, 'Policy decision before you confirm')}
      {preview?.effect === 'DENY' && preview.remedies.length > 0 && (
        <div data-testid="share-remedies"><strong>What would allow it:</strong><ul>{preview.remedies.map((r) => <li key={r}>{r}</li>)}</ul></div>
      )}
      {denied && (
        <div className="decision deny" role="alert">
          <p><strong>Not shared:</strong> {denied.message}</p>
          <ReasonList reasons={denied.reasons} />
        </div>
      )}
    </Dialog>
  );
}
