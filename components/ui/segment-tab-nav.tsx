"use client";
// Tabs in a layout, one per child route: the current tab is the URL segment below the layout, which
// the layout itself cannot know (Next.js keeps it as it is while its pages change).
import { useSelectedLayoutSegment } from "next/navigation";
import { TabNav } from "./tab-nav";

/** `items[].key` is the child route's segment; the first item is the layout's own page (no segment, or a route group). */
export function SegmentTabNav({
  label,
  items,
}: {
  label: string;
  items: { href: string; label: string; key: string }[];
}) {
  const segment = useSelectedLayoutSegment();
  const current = items.find((i) => i.key === segment)?.key ?? items[0]?.key ?? "";
  return <TabNav label={label} items={items} current={current} />;
}
