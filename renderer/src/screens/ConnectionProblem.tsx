export function ConnectionProblem({ problem }: { problem: string }) {
  return (
    <main className="auth">
      <section className="card" aria-labelledby="conn-title">
        <h1 id="conn-title">Cannot reach MemoryOS</h1>
        <p role="alert">{problem}</p>
        <p className="muted">Start the app with <code>npm start</code> and open the address it prints. The link carries a one-time login token in its #fragment, which never leaves your browser.</p>
      </section>
    </main>
  );
}
