// The cluster tab's live stream, asked for by a few lines of script in the page's HTML instead of after the
// page's scripts have loaded and React has hydrated (a second and more on a busy machine): the server starts
// building the snapshot while the browser is still compiling scripts, and the script reads the answer into
// memory as it arrives (a response nobody reads stops at the browser's buffer, ~0.5 MB, and the rest of a
// 3.7 MB snapshot would wait for the page). The page's live view takes the bytes over when it opens the same
// stream; one it never takes (the view changed first) is cancelled.
// No React, no "use client": the server writes the script, the page takes the stream.

/** How long an early stream waits to be taken before it is cancelled (its HTTP connection released). */
export const EARLY_STREAM_TTL_MS = 15_000;

const GLOBAL = "__tetherEarlyLiveStream";

/** What the inline script keeps on `window`: the bytes read so far, and whom to hand the next ones to. */
interface EarlyStream {
  url: string;
  /** Cancels the request (ends the worker that reads it, or aborts the page's own fetch). */
  abort: () => void;
  /** Read before the page took the stream, in order. */
  chunks: Uint8Array[];
  /** The stream ended (or failed, or answered an error status) before the page took it. */
  ended: boolean;
  /** Set when the page takes the stream: each later chunk, then `null` at the end. */
  listener: ((chunk: Uint8Array | null) => void) | null;
}

/** The early stream, taken: every byte from the first, and its end. */
export interface TakenEarlyStream {
  /**
   * Hands over what was read so far at once, then each chunk as it comes, then `null` when the stream ends
   * for any reason (an error status, a failure, the server closing it): the caller reconnects as from an
   * EventSource's error.
   */
  listen(onChunk: (chunk: Uint8Array | null) => void): void;
  abort(): void;
}

/**
 * The dedicated worker that reads the stream where the browser has workers. The page's main thread is busy
 * compiling and hydrating for a second or more after its HTML; a read on it waits for a gap each time, and
 * Chromium stops reading the socket meanwhile. A worker reads every byte as it arrives and posts copies to
 * the page, the chunks read in one turn of its event loop together (one task on the page for many), `null`
 * at the end; the page only has to take what is already there. It is told the
 * stream's absolute URL (a `blob:` worker resolves nothing against the page's address).
 */
export const EARLY_STREAM_WORKER =
  `onmessage=function(e){var q=[],t=0;` +
  `function flush(){if(t){clearTimeout(t);t=0;}if(q.length){postMessage(q);q=[];}}` +
  `function end(){flush();postMessage(null);}` +
  `fetch(e.data,{cache:"no-store",headers:{accept:"text/event-stream"}}).then(function(r){` +
  `if(!r.ok||!r.body){end();return;}var rd=r.body.getReader();` +
  `(function pump(){rd.read().then(function(x){if(x.done){end();return;}` +
  `q.push(x.value);if(!t)t=setTimeout(flush,0);pump();},end);})();` +
  `},end);};`;

/**
 * The inline script that asks for `url` at once and reads its answer into memory: in a dedicated worker
 * where it can start one (a `blob:` worker: the page's CSP has `worker-src blob:`), else on the page. It
 * runs before any of the page's modules, so it is plain ES5-safe text; the URL is JSON with `<` escaped,
 * so nothing in it can close the script element.
 */
export function earlyStreamScript(url: string): string {
  const literal = JSON.stringify(url).replace(/</g, "\\u003c");
  const g = `window.${GLOBAL}`;
  return (
    `(function(){if(!window.fetch||!window.AbortController)return;` +
    `var s={url:${literal},abort:null,chunks:[],ended:false,listener:null};` +
    `function end(){if(s.ended)return;s.ended=true;if(s.listener)s.listener(null);}` +
    `function got(v){if(s.listener)s.listener(v);else s.chunks.push(v);}` +
    `var w=null;try{if(window.Worker&&window.Blob&&window.URL&&URL.createObjectURL){` +
    `w=new Worker(URL.createObjectURL(new Blob([${JSON.stringify(EARLY_STREAM_WORKER)}],{type:"text/javascript"})));` +
    `}}catch(x){w=null;}` +
    `if(w){w.onmessage=function(e){if(s.ended)return;var d=e.data;` +
    `if(d){for(var i=0;i<d.length;i++)got(d[i]);}else{end();w.terminate();}};` +
    `w.onerror=end;w.postMessage(new URL(s.url,location.href).href);` +
    `s.abort=function(){w.terminate();end();};}else{var c=new AbortController();s.abort=function(){c.abort();};` +
    `fetch(s.url,{signal:c.signal,cache:"no-store",headers:{accept:"text/event-stream"}}).then(function(r){` +
    `if(!r.ok||!r.body){end();return;}var rd=r.body.getReader();` +
    `(function pump(){rd.read().then(function(x){if(x.done){end();return;}got(x.value);pump();},end);})();}).catch(end);}` +
    `${g}=s;` +
    `setTimeout(function(){if(${g}===s){${g}=undefined;s.abort();}},${EARLY_STREAM_TTL_MS});})();`
  );
}

/**
 * The early stream when it is the one `url` names, once: the caller owns it from then on (and aborts it
 * with `abort`). An early stream for another URL is cancelled, since the page will open its own.
 */
export function takeEarlyStream(url: string): TakenEarlyStream | null {
  if (typeof window === "undefined") return null;
  const holder = window as unknown as Record<typeof GLOBAL, EarlyStream | undefined>;
  const early = holder[GLOBAL];
  if (!early) return null;
  holder[GLOBAL] = undefined;
  if (early.url !== url) {
    early.abort();
    return null;
  }
  return {
    listen(onChunk) {
      for (const chunk of early.chunks.splice(0)) onChunk(chunk);
      if (early.ended) onChunk(null);
      else early.listener = onChunk;
    },
    abort: () => early.abort(),
  };
}
