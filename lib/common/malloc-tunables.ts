// How glibc's malloc serves Tether's Node processes (kas, the agent, web). Body messages are buffers of up
// to a quarter MiB and TLS and HTTP/2 hand over fresh buffers for every read; with glibc's defaults a
// buffer over 128 KiB is mapped from the kernel for itself and freed memory at the top of the heap goes
// back to the kernel once 128 KiB of it is free, so the next buffers land on newly mapped pages again,
// and every first touch of such a page is a page fault the kernel must serve and zero (on the small VMs
// measured here, ~10-18 µs each: copying 512 MB into fresh 256 KiB buffers took 180-390 ms of CPU, into
// reused ones 10-20 ms). Raised thresholds keep those buffers in the heap and reuse its pages; the cost is
// that up to 64 MiB of freed heap stays mapped to the process instead of going back at once.
//
// Set through the environment because glibc reads it when the process starts: the images set it
// (deploy/*/Dockerfile, checked by malloc-tunables.test.ts), and so do `npm start` and the testbed's
// launchers. An operator's own GLIBC_TUNABLES is left as it is. Other C libraries (musl) ignore it.
export const GLIBC_TUNABLES = "glibc.malloc.mmap_threshold=1048576:glibc.malloc.trim_threshold=67108864";

/** `env` with Tether's malloc tunables, unless it already has GLIBC_TUNABLES of its own. */
export function withMallocTunables<T extends Record<string, string | undefined>>(env: T): T {
  return env.GLIBC_TUNABLES ? env : { ...env, GLIBC_TUNABLES };
}
