// How a body crosses the tunnel as messages: what a socket yields (TLS hands over ~16 KiB pieces)
// is gathered into messages of up to CHUNK_SIZE, because each message costs both ends CPU. Gathering
// never holds bytes back waiting for more: a message goes as soon as nothing more is queued in this
// turn of the event loop and the previous message has left, so a watch event or the first bytes of
// an answer go at once and only a fast producer meets full messages.
import type { Readable } from "node:stream";
import { gatherChunk, releaseChunk } from "./chunk-codec";
import { CHUNK_SIZE } from "./tunnel-wire";

export interface BodyMessageSink {
  /** Sends one body message; `written` once it has left. False when the transport is full. */
  send(data: Buffer, written: () => void): boolean;
  /** Calls `fn` once the transport takes messages again after send returned false. */
  onceDrain(fn: () => void): void;
}

export interface BodyRelayOptions {
  /** False once the relay's request is over (its stream was reused): bytes then arriving are dropped. */
  current?: () => boolean;
  /** The source ended and everything it yielded was sent. */
  onEnd?: () => void;
  /** The size of each message sent (the body-message histogram). */
  observe?: (bytes: number) => void;
}

/** Sends what `source` yields to `sink` as body messages of at most CHUNK_SIZE bytes, until it ends. */
export function relayBody(source: Readable, sink: BodyMessageSink, o: BodyRelayOptions = {}): void {
  const current = o.current ?? (() => true);
  const pending: Buffer[] = [];
  let pendingBytes = 0;
  let inFlight = 0;
  let scheduled = false;
  let waitingForDrain = false;
  let ended = false;

  const left = () => {
    inFlight--;
    if (inFlight === 0 && pendingBytes > 0) schedule();
  };
  const send = (data: Buffer) => {
    inFlight++;
    o.observe?.(data.length);
    // Once the transport took the message (written), its buffer serves the next one.
    if (!sink.send(data, () => (releaseChunk(data), left())) && !waitingForDrain) {
      waitingForDrain = true;
      source.pause();
      sink.onceDrain(() => {
        waitingForDrain = false;
        source.resume();
      });
    }
  };
  /** The first `n` pending bytes, as the pieces they are in (the boundary pieces cut). */
  const take = (n: number): Buffer[] => {
    const out: Buffer[] = [];
    for (let need = n; need > 0;) {
      const head = pending[0]!;
      if (head.length <= need) {
        out.push(head);
        pending.shift();
        need -= head.length;
      } else {
        out.push(head.subarray(0, need));
        pending[0] = head.subarray(need);
        need = 0;
      }
    }
    pendingBytes -= n;
    return out;
  };
  /** Sends the full messages pending, and (`all`) the rest too; each is copied once, into its encoded message. */
  const flush = (all: boolean) => {
    if (pendingBytes === 0 || !current()) return;
    while (pendingBytes >= CHUNK_SIZE) send(gatherChunk(take(CHUNK_SIZE), CHUNK_SIZE));
    if (all && pendingBytes > 0) {
      const n = pendingBytes;
      send(gatherChunk(take(n), n));
    }
  };
  function schedule(): void {
    if (scheduled || ended) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      // Still a message on its way: wait for it to leave (left() schedules again) and gather meanwhile.
      if (inFlight === 0) flush(true);
    });
  }

  source.on("data", (buf: Buffer) => {
    if (!current()) return;
    pending.push(buf);
    pendingBytes += buf.length;
    if (pendingBytes >= CHUNK_SIZE) flush(false);
    if (pendingBytes > 0 && inFlight === 0) schedule();
  });
  source.on("end", () => {
    if (!current()) return;
    flush(true);
    ended = true;
    o.onEnd?.();
  });
}
