import Link from 'next/link';

/** A signed-in person whose role is below the page's (lib/auth/access.ts). Answered with 403. */
export default function Forbidden() {
  return (
    <main className="notice-page">
      <h1>You do not have access to this page</h1>
      <p>It needs a higher role. An administrator can change your role.</p>
      <Link href="/">Back to the overview</Link>
    </main>
  );
}
