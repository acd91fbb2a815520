/** @type {import('next').NextConfig} */
const nextConfig = {
  // better-sqlite3 is a native addon: load it from node_modules at run time, never bundle it.
  serverExternalPackages: ['better-sqlite3'],
  poweredByHeader: false,
  reactStrictMode: true,
  // forbidden() answers 403 to a signed-in person whose role is too low for a page (lib/http/page-access.ts).
  experimental: { authInterrupts: true },
};

module.exports = nextConfig;
