import type { NextConfig } from "next";
import { STATIC_SECURITY_HEADERS } from "./lib/web-security";

const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Native and driver modules stay outside the bundle and are loaded from node_modules at runtime.
  serverExternalPackages: ["better-sqlite3", "@prisma/adapter-better-sqlite3", "@prisma/adapter-pg", "pg", "@node-rs/argon2", "pino"],
  // Tests and the embedded default may run several builds side by side.
  distDir: process.env.TETHER_NEXT_DIST_DIR ?? ".next",
  // Static files skip proxy.ts; they get the headers that do not depend on the request here.
  async headers() {
    return [{ source: "/:path*", headers: Object.entries(STATIC_SECURITY_HEADERS).map(([key, value]) => ({ key, value })) }];
  },
};

export default nextConfig;
