import Link from 'next/link';

export default function NotFound() {
  return (
    <main className="notice-page">
      <h1>Not found</h1>
      <p>There is no page at this address.</p>
      <Link href="/">Back to the overview</Link>
    </main>
  );
}
