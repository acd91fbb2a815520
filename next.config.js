/** @type {import('next').NextConfig} */
const nextConfig = {
  // Native addons: load them from node_modules at run time, never bundle them.
  serverExternalPackages: ['better-sqlite3', 're2'],
  poweredByHeader: false,
  reactStrictMode: true,
};

module.exports = nextConfig;
