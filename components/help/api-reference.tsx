"use client";
// The REST API reference: the OpenAPI document this server serves at /api/openapi.json, grouped by area,
// each operation with who may call it, its parameters, body schema, answers and a curl line to copy.
import { useQuery } from "@tanstack/react-query";
import { useMemo, useState } from "react";
import { fetchJson } from "@/components/providers";
import { CopyButton } from "@/components/ui/copy-button";
import { EmptyState, ErrorState, LoadingState } from "@/components/ui/states";
import { curlExample, exampleOf } from "@/lib/api-docs/example";

type JsonSchema = Record<string, unknown>;
interface Parameter {
  name: string;
  in: "path" | "query";
  required: boolean;
  description?: string;
  schema: JsonSchema;
}
interface Operation {
  operationId: string;
  tags: string[];
  summary: string;
  description?: string;
  security: Record<string, string[]>[];
  parameters?: Parameter[];
  requestBody?: { content: Record<string, { schema: JsonSchema }> };
  responses: Record<string, { description: string; content?: Record<string, unknown> }>;
}
interface OpenApi {
  info: { title: string; description?: string };
  servers: { url: string }[];
  tags: { name: string }[];
  paths: Record<string, Record<string, Operation>>;
}
interface Row {
  method: string;
  path: string;
  op: Operation;
}

const METHOD_STYLE: Record<string, string> = {
  GET: "bg-emerald-100 text-emerald-900 dark:bg-emerald-950 dark:text-emerald-200",
  POST: "bg-indigo-100 text-indigo-900 dark:bg-indigo-950 dark:text-indigo-200",
  PUT: "bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-200",
  PATCH: "bg-amber-100 text-amber-900 dark:bg-amber-950 dark:text-amber-200",
  DELETE: "bg-red-100 text-red-900 dark:bg-red-950 dark:text-red-200",
};

function slug(s: string): string {
  return s.toLowerCase().replace(/[^a-z0-9]+/g, "-");
}

function schemaText(s: JsonSchema): string {
  return JSON.stringify(s, null, 2);
}

function OperationDetails({ row, server }: { row: Row; server: string }) {
  const { method, path, op } = row;
  const upper = method.toUpperCase();
  const tokenOk = op.security.some((s) => "apiToken" in s);
  const sessionOnly = op.security.length > 0 && !tokenOk;
  const body = op.requestBody?.content["application/json"]?.schema;
  const example = body ? exampleOf(body) : undefined;
  const query = (op.parameters ?? []).filter((p) => p.in === "query" && p.required);
  const qs = query.length ? "?" + query.map((p) => `${p.name}=<${p.name}>`).join("&") : "";
  const url = `${server}${path.replace(/\{([^}]+)\}/g, "<$1>")}${qs}`;
  const curl = curlExample({ method: upper, url, credential: tokenOk ? "token" : "none", body: example });
  return (
    <details id={op.operationId} className="group rounded-md border border-zinc-200 dark:border-zinc-800">
      <summary className="flex cursor-pointer list-none flex-wrap items-baseline gap-x-3 gap-y-1 rounded-md px-3 py-2 hover:bg-zinc-50 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 dark:hover:bg-zinc-900">
        <span
          className={`w-16 shrink-0 rounded px-1.5 py-0.5 text-center font-mono text-xs font-semibold ${METHOD_STYLE[upper] ?? ""}`}
        >
          {upper}
        </span>
        <code className="min-w-0 break-all font-mono text-sm">{path}</code>
        <span className="w-full text-sm text-zinc-600 sm:w-auto dark:text-zinc-400">{op.summary}</span>
      </summary>
      <div className="space-y-4 border-t border-zinc-200 px-3 py-3 text-sm dark:border-zinc-800">
        {op.description ? (
          <p className="whitespace-pre-line text-zinc-700 dark:text-zinc-300">{op.description}</p>
        ) : null}
        {op.parameters?.length ? (
          <div>
            <h4 className="font-medium">Parameters</h4>
            <ul className="mt-1 space-y-1">
              {op.parameters.map((p) => (
                <li key={`${p.in}-${p.name}`} className="break-words">
                  <code className="font-mono">{p.name}</code>{" "}
                  <span className="text-zinc-500">
                    ({p.in}
                    {p.required ? ", required" : ""}){p.description ? ` — ${p.description}` : ""}
                  </span>
                  <code className="ml-1 break-all font-mono text-xs text-zinc-500">{JSON.stringify(p.schema)}</code>
                </li>
              ))}
            </ul>
          </div>
        ) : null}
        {body ? (
          <div>
            <h4 className="font-medium">Request body (JSON)</h4>
            <pre className="mt-1 max-h-80 overflow-auto rounded bg-zinc-100 p-2 font-mono text-xs dark:bg-zinc-900">
              {schemaText(body)}
            </pre>
          </div>
        ) : null}
        <div>
          <h4 className="font-medium">Answers</h4>
          <ul className="mt-1 space-y-0.5">
            {Object.entries(op.responses).map(([status, r]) => (
              <li key={status}>
                <code className="font-mono">{status}</code>{" "}
                <span className="text-zinc-600 dark:text-zinc-400">{r.description}</span>
              </li>
            ))}
          </ul>
        </div>
        <div>
          <div className="flex flex-wrap items-center justify-between gap-2">
            <h4 className="font-medium">Example</h4>
            {sessionOnly ? null : <CopyButton text={curl} label={`Copy the curl command for ${upper} ${path}`} />}
          </div>
          {sessionOnly ? (
            <p className="mt-1 text-zinc-600 dark:text-zinc-400">
              Only from a signed-in browser: an API token is refused here, so no script can call it.
            </p>
          ) : (
            <pre className="mt-1 overflow-x-auto rounded bg-zinc-100 p-2 font-mono text-xs dark:bg-zinc-900">
              {curl}
            </pre>
          )}
        </div>
      </div>
    </details>
  );
}

export function ApiReference() {
  const query = useQuery({
    queryKey: ["openapi-document"],
    queryFn: () => fetchJson<OpenApi>("/api/openapi.json"),
  });
  const [filter, setFilter] = useState("");

  const groups = useMemo(() => {
    if (!query.data) return [];
    const needle = filter.trim().toLowerCase();
    const rows: Row[] = Object.entries(query.data.paths).flatMap(([path, item]) =>
      Object.entries(item).map(([method, op]) => ({ method, path, op })),
    );
    const shown = needle
      ? rows.filter((r) =>
          `${r.method} ${r.path} ${r.op.summary} ${r.op.tags.join(" ")}`.toLowerCase().includes(needle),
        )
      : rows;
    return query.data.tags
      .map((t) => ({ area: t.name, rows: shown.filter((r) => r.op.tags.includes(t.name)) }))
      .filter((g) => g.rows.length > 0);
  }, [query.data, filter]);

  if (query.isPending) return <LoadingState label="Loading the API reference…" />;
  if (query.isError)
    return (
      <ErrorState
        title="Could not load the API reference"
        message={query.error.message}
        onRetry={() => void query.refetch()}
      />
    );

  const doc = query.data;
  const server = doc.servers[0]?.url ?? "";
  const total = Object.values(doc.paths).reduce((n, item) => n + Object.keys(item).length, 0);
  if (total === 0)
    return (
      <EmptyState title="No operations documented">This server&apos;s API document lists no operations.</EmptyState>
    );

  return (
    <div className="space-y-6">
      <section aria-labelledby="api-auth" className="space-y-2 text-sm">
        <h2 id="api-auth" className="text-lg font-semibold">
          Authentication
        </h2>
        <p>
          Send <code className="font-mono">Authorization: Bearer &lt;token&gt;</code> with a personal access token, or a
          project access token (a project&apos;s Settings tab), which acts with one role in that project only. The scope{" "}
          <code className="font-mono">read_api</code> allows GET requests; <code className="font-mono">api</code> allows
          every method. A few operations need a signed-in browser and refuse tokens; each says so. Errors are JSON:{" "}
          <code className="font-mono">{'{ "error": "…", "field": "…" }'}</code>.
        </p>
        <p>
          The machine-readable document:{" "}
          <a href="/api/openapi.json" className="font-medium text-indigo-600 hover:underline dark:text-indigo-400">
            /api/openapi.json
          </a>{" "}
          (OpenAPI 3.1, {total} operations).
        </p>
      </section>
      <div>
        <label htmlFor="api-filter" className="block text-sm font-medium">
          Filter operations
        </label>
        <input
          id="api-filter"
          type="search"
          value={filter}
          onChange={(e) => setFilter(e.target.value)}
          placeholder="e.g. tokens, DELETE, /api/agents"
          className="mt-1 w-full max-w-md rounded-md border border-zinc-300 bg-white px-3 py-2 text-sm focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 dark:border-zinc-700 dark:bg-zinc-950"
        />
      </div>
      {groups.length === 0 ? (
        <EmptyState title="No operation matches">
          Nothing matches “{filter.trim()}”. Try a path, a method or an area.
        </EmptyState>
      ) : (
        <>
          <nav aria-label="API areas">
            <ul className="flex flex-wrap gap-2 text-sm">
              {groups.map((g) => (
                <li key={g.area}>
                  <a
                    href={`#area-${slug(g.area)}`}
                    className="rounded-full border border-zinc-300 px-3 py-1 hover:bg-zinc-100 focus:outline-none focus-visible:ring-2 focus-visible:ring-indigo-500 dark:border-zinc-700 dark:hover:bg-zinc-900"
                  >
                    {g.area} <span className="text-zinc-500">({g.rows.length})</span>
                  </a>
                </li>
              ))}
            </ul>
          </nav>
          {groups.map((g) => (
            <section key={g.area} aria-labelledby={`area-${slug(g.area)}`} className="space-y-2">
              <h3 id={`area-${slug(g.area)}`} className="scroll-mt-4 text-base font-semibold">
                {g.area}
              </h3>
              {g.rows.map((r) => (
                <OperationDetails key={`${r.method} ${r.path}`} row={r} server={server} />
              ))}
            </section>
          ))}
        </>
      )}
    </div>
  );
}
