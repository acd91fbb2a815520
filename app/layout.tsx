import type { ReactNode } from 'react';

export const metadata = { title: 'authwatch', description: 'Security event monitoring for OAuth 2.0, JWT and API gateways' };

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body style={{ fontFamily: 'system-ui, sans-serif', margin: '2rem' }}>{children}</body>
    </html>
  );
}
