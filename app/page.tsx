export default function Home() {
  return (
    <main>
      <h1>authwatch</h1>
      <p>Ingest is running. Services post events to <code>/api/v1/events</code>; Prometheus scrapes <code>/api/metrics</code>.</p>
    </main>
  );
}
