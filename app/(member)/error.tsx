'use client';

/** A page failed to render: say so, offer a retry; the details stay in the server log, never on the page. */
export default function PageError({ reset }: { error: Error; reset: () => void }) {
  return (
    <section className="notice-page" role="alert">
      <h1>This page could not be shown</h1>
      <p>Something went wrong on the server. Try again; if it keeps failing, the server log has the details.</p>
      <button type="button" onClick={reset}>
        Try again
      </button>
    </section>
  );
}
