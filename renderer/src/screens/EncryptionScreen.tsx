/**
 * "What is encrypted": what README's "What is stored in plaintext, and what is not" says, for the
 * people using the app. Keep the two in step when either changes.
 */
export function EncryptionScreen() {
  return (
    <section className="screen prose" aria-labelledby="enc-title" data-testid="encryption-page" tabIndex={0}>
      <h1 id="enc-title">What is encrypted</h1>
      <p>Everything lives in one data directory on this device (the database with its journal, logs, and a lock file while MemoryOS runs). Here is what someone who got hold of that directory, or of what travels between your devices, could and could not read.</p>

      <h2>Never in plaintext</h2>
      <p>Not on disk, not in logs, not in events, not on the wire:</p>
      <ul>
        <li>a memory’s title, body, tags, people, places and the date it happened;</li>
        <li>space names and people’s names;</li>
        <li>every private key.</li>
      </ul>
      <p>Content is encrypted (XChaCha20-Poly1305) under a key of its own for each memory, bound to its space and record. Those keys are locked by the space’s key (Green, Amber), sealed to each reader (Red), or kept by a key that never leaves this device (Black). Your private keys are locked by the vault key, which only your passphrase or your recovery key opens. The search index lives in memory only: it is built when you unlock and dropped when you lock. Logs carry method names, error codes, timings and trace ids, never what you wrote.</p>

      <h2>Plaintext metadata</h2>
      <p>What someone holding the disk can see:</p>
      <ul>
        <li>ids: space ids (the kind and a short name derived from the space’s name, like <code>shared:family</code>), and memory, member, device, event and action ids;</li>
        <li>a memory’s band, type, author id, origin device id, and when it was created, updated, deleted or expires; its version counter;</li>
        <li>the sync log’s headers (space, document, author device, sequence, key id) and signatures;</li>
        <li>member roles per space, device platform, public keys;</li>
        <li>event envelopes (topic, band, obligations, ids, times, hashes, signatures): their payloads hold ids and bands only;</li>
        <li>what waits in the undo window (its kind, ids, target space, times);</li>
        <li>settings (undo window, auto-lock minutes, trash retention);</li>
        <li>sync: each space’s key ring (epoch numbers, member ids and the sealed keys, each readable only by its member), each other device’s trust and last address, and per device and space when it was last seen and last verified up to date.</li>
      </ul>

      <h2>What that means</h2>
      <ul>
        <li>A space id is chosen from the name you give a space: a name you would not want seen belongs inside a memory, not in the space’s name.</li>
        <li>Bands are visible: someone with the disk can tell that a Red memory exists and when it changed, not what it says.</li>
        <li>Lock the vault (or let it lock itself) when you step away: while it is unlocked, this device can read everything you can.</li>
      </ul>
    </section>
  );
}
