// The cluster tab's live stream, asked for by a few lines of script in the page's HTML instead of after the
// page's scripts have loaded and React has hydrated (a second and more on a busy machine): the server starts
// building the snapshot while the browser is still compiling scripts. The page's live view takes the answer
// over when it opens the same stream; one it never takes (the view changed first) is cancelled.
// No React, no "use client": the server writes the script, the page takes the stream.

/** How long an early stream waits to be taken before it is cancelled (its HTTP connection released). */
export const EARLY_STREAM_TTL_MS = 15_000;

const GLOBAL = "__tetherEarlyLiveStream";

interface EarlyStream {
  url: string;
  response: Promise<Response>;
  controller: AbortController;
}

/**
 * The inline script that asks for `url` at once. It runs before any of the page's modules, so it is plain
 * ES5-safe text; the URL is JSON with `<` escaped, so nothing in it can close the script element.
 */
export function earlyStreamScript(url: string): string {
  const literal = JSON.stringify(url).replace(/</g, "\\u003c");
  return (
    `(function(){if(!window.fetch||!window.AbortController)return;` +
    `var c=new AbortController(),s={url:${literal},controller:c,` +
    `response:fetch(${literal},{signal:c.signal,cache:"no-store",headers:{accept:"text/event-stream"}})};` +
    `s.response.catch(function(){});window.${GLOBAL}=s;` +
    `setTimeout(function(){if(window.${GLOBAL}===s){window.${GLOBAL}=undefined;c.abort();}},${EARLY_STREAM_TTL_MS});})();`
  );
}

/**
 * The early stream when it is the one `url` names, once: the caller owns it from then on (and aborts it
 * with `abort`). An early stream for another URL is cancelled, since the page will open its own.
 */
export function takeEarlyStream(url: string): { response: Promise<Response>; abort: () => void } | null {
  if (typeof window === "undefined") return null;
  const holder = window as unknown as Record<typeof GLOBAL, EarlyStream | undefined>;
  const early = holder[GLOBAL];
  if (!early) return null;
  holder[GLOBAL] = undefined;
  if (early.url !== url) {
    early.controller.abort();
    return null;
  }
  return { response: early.response, abort: () => early.controller.abort() };
}
