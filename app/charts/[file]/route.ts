// GET /charts/index.yaml and /charts/<chart>-<version>.tgz: Tether's Helm repository (`helm repo add
// tether <TETHER_PUBLIC_URL>/charts`). Public, like any Helm repository: the chart holds no secret.
import { chartRepository } from "@/lib/chart-repo";
import { NotFound } from "@/lib/errors";
import { toResponse } from "@/lib/http/errors";

export const dynamic = "force-dynamic";

export async function GET(_req: Request, ctx: { params: Promise<{ file: string }> }): Promise<Response> {
  try {
    const { file } = await ctx.params;
    const repo = await chartRepository();
    if (file === "index.yaml")
      return new Response(repo.index, {
        headers: { "content-type": "application/yaml; charset=utf-8", "cache-control": "no-cache" },
      });
    const pkg = repo.packages.find((p) => p.fileName === file);
    if (!pkg) throw new NotFound(`Chart package ${file}`);
    return new Response(new Uint8Array(pkg.archive), {
      headers: {
        "content-type": "application/gzip",
        "content-length": String(pkg.archive.length),
        "cache-control": "public, max-age=3600",
        etag: `"${pkg.digest}"`,
      },
    });
  } catch (e) {
    return toResponse(e);
  }
}
