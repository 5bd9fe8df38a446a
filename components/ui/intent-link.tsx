"use client";
// A link that prefetches its page when someone shows intent (pointer over it, keyboard focus), not as soon
// as it is on screen: the shell's and tabs' links would otherwise send a burst of prefetches on every page
// load, and on a busy server they delay the page's own first requests (the live view's stream).
import Link from "next/link";
import { useRouter } from "next/navigation";
import type { ComponentProps } from "react";

type Props = Omit<ComponentProps<typeof Link>, "prefetch" | "href"> & { href: string };

export function IntentLink({ href, onPointerEnter, onFocus, ...rest }: Props) {
  const router = useRouter();
  return (
    <Link
      href={href}
      prefetch={false}
      onPointerEnter={(e) => {
        router.prefetch(href);
        onPointerEnter?.(e);
      }}
      onFocus={(e) => {
        router.prefetch(href);
        onFocus?.(e);
      }}
      {...rest}
    />
  );
}
