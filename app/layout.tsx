import { connection } from 'next/server';
import type { ReactNode } from 'react';
import './globals.css';

export const metadata = { title: 'authwatch', description: 'Security event monitoring for OAuth 2.0, JWT and API gateways' };

export default async function RootLayout({ children }: { children: ReactNode }) {
  // Every page renders per request: its scripts must carry this response's CSP nonce (proxy.ts).
  await connection();
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  );
}
