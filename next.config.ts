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
  // The web image (deploy/web/Dockerfile) builds with TETHER_NEXT_OUTPUT=standalone: a server.js and only the
  // node_modules files the server loads. `npm start` keeps the ordinary build that `next start` serves.
  ...(process.env.TETHER_NEXT_OUTPUT === "standalone"
    ? {
        output: "standalone" as const,
        // Prisma's generated client looks for its files under the working directory, which makes the tracer copy
        // the whole project; what the server never loads (and data/, which holds a local install's secrets) stays out.
        outputFileTracingExcludes: {
          "*": [
            "./data/**",
            "./dist/**",
            "./.ci/**",
            "./agent/**",
            "./bench/**",
            "./docs/**",
            "./e2e/**",
            "./kas/**",
            "./scripts/**",
            "./testbed/**",
            "./deploy/tether/**",
            "./deploy/web/**",
            "./deploy/kas/**",
            // Sources: the server runs the compiled bundle under the build folder.
            "./app/**",
            "./components/**",
            "./lib/**/*.ts",
            "./lib/**/*.tsx",
            "./proto/**",
          ],
        },
      }
    : {}),
  experimental: {
    // proxy.ts runs for API routes too, and Next.js buffers a request body for it (10 MB by default).
    // The largest body a route takes is a forge's webhook delivery (1 MiB, lib/gitops); the buffer stays
    // above it so that a larger one reaches the route's own cap whole and is refused with 413, not cut.
    proxyClientMaxBodySize: "2mb",
  },
  // Static files skip proxy.ts; they get the headers that do not depend on the request here.
  async headers() {
    return [
      { source: "/:path*", headers: Object.entries(STATIC_SECURITY_HEADERS).map(([key, value]) => ({ key, value })) },
    ];
  },
};

export default nextConfig;
