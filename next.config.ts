import type { NextConfig } from "next";
import { STATIC_SECURITY_HEADERS } from "./lib/web-security";

const nextConfig: NextConfig = {
  reactStrictMode: true,
  poweredByHeader: false,
  // Native and driver modules stay outside the bundle and are loaded from node_modules at runtime. The web image's
  // bundle of web's own server keeps them outside too (scripts/build-web-server.ts), loading the same files.
  serverExternalPackages: [
    "better-sqlite3",
    "@prisma/adapter-better-sqlite3",
    "@prisma/adapter-pg",
    "pg",
    "@node-rs/argon2",
    "pino",
    "ioredis",
  ],
  // Tests and the embedded default may run several builds side by side.
  distDir: process.env.TETHER_NEXT_DIST_DIR ?? ".next",
  // The web image (deploy/web/Dockerfile) builds with TETHER_NEXT_OUTPUT=standalone: the build and only the
  // node_modules files Next.js's server loads; `npm run build:web-server` then puts web's own server in it as
  // server.js. `npm start` keeps the ordinary build, which scripts/web-server.ts serves from the sources.
  ...(process.env.TETHER_NEXT_OUTPUT === "standalone"
    ? {
        output: "standalone" as const,
        // Prisma's generated client looks for its files under the working directory, which makes the tracer copy
        // the whole project next to the server. Folders the server never reads stay out, above all data/ (a local
        // install's database and secrets). These globs match anywhere in a traced path (a dependency's own dist/ or
        // lib/ would match too, and its files go missing), so only names no dependency uses are listed.
        outputFileTracingExcludes: {
          "/**": ["./data/**", "./.ci/**", "./bench/**", "./e2e/**", "./testbed/**", "./deploy/tether/**"],
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
