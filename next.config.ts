import type { NextConfig } from "next";
import { STATIC_SECURITY_HEADERS } from "./lib/web-security";

const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Native and driver modules stay outside the bundle and are loaded from node_modules at runtime.
  serverExternalPackages: [
    "better-sqlite3",
    "@prisma/adapter-better-sqlite3",
    "@prisma/adapter-pg",
    "pg",
    "@node-rs/argon2",
    "pino",
  ],
  // Tests and the embedded default may run several builds side by side.
  distDir: process.env.TETHER_NEXT_DIST_DIR ?? ".next",
  experimental: {
    // proxy.ts runs for API routes too, and Next.js buffers a request body for it (10 MB by default).
    // No route takes more than 64 KiB, and a body cut at 1 MB is still refused whole by readJsonBody's cap.
    proxyClientMaxBodySize: "1mb",
  },
  // Static files skip proxy.ts; they get the headers that do not depend on the request here.
  async headers() {
    return [
      { source: "/:path*", headers: Object.entries(STATIC_SECURITY_HEADERS).map(([key, value]) => ({ key, value })) },
    ];
  },
};

export default nextConfig;
