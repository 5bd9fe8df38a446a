"use client";
// Asks before leaving a page with unsaved changes: the browser's own prompt when the tab is closed or
// reloaded (beforeunload), and a confirm() when a link inside the app is followed (Next.js's client-side
// navigation starts from a click on an <a>, which is caught here before Next sees it).
import { useEffect, useRef } from "react";

export function useLeaveGuard(dirty: boolean, message: string): void {
  const state = useRef({ dirty, message });
  useEffect(() => {
    state.current = { dirty, message };
  }, [dirty, message]);

  useEffect(() => {
    if (!dirty) return;
    const onBeforeUnload = (e: BeforeUnloadEvent) => {
      e.preventDefault();
      // Older browsers show the prompt only when returnValue is set.
      e.returnValue = "";
    };
    const onClick = (e: MouseEvent) => {
      if (!state.current.dirty || e.defaultPrevented || e.button !== 0) return;
      if (e.metaKey || e.ctrlKey || e.shiftKey || e.altKey) return; // a new tab or window: this page stays
      const a = e.target instanceof Element ? e.target.closest("a[href]") : null;
      if (!(a instanceof HTMLAnchorElement) || a.hasAttribute("download")) return;
      if (a.target && a.target !== "_self") return;
      const to = new URL(a.href, location.href);
      if (to.origin === location.origin && to.pathname === location.pathname && to.search === location.search) return;
      if (!window.confirm(state.current.message)) {
        e.preventDefault();
        e.stopPropagation();
      }
    };
    window.addEventListener("beforeunload", onBeforeUnload);
    document.addEventListener("click", onClick, true);
    return () => {
      window.removeEventListener("beforeunload", onBeforeUnload);
      document.removeEventListener("click", onClick, true);
    };
  }, [dirty]);
}
