/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native addons: load them from node_modules at run time, never bundle them.
  serverExternalPackages: ['better-sqlite3', 're2'],
  poweredByHeader: false,
  reactStrictMode: true,
  // forbidden() answers 403 to a signed-in person whose role is too low for a page (lib/http/page-access.ts).
  experimental: { authInterrupts: true },
};

module.exports = nextConfig;
