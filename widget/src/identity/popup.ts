import type { LoginMessage } from "../../../server/identity/api-types.js";

/** What the popup ended with: a one-time code, or a failure (with the server's sentence when it sent one). */
export type PopupOutcome = { code: string } | { failure: string; message?: Partial<Record<"de" | "en", string>> | undefined };

const WIDTH = 520;
const HEIGHT = 720;

/**
 * Opens the login window centred over this one. Null when the browser blocked it. `about:blank`
 * first when the address is not known yet: the window must open while the click still counts as
 * the visitor's gesture, and the address follows a moment later.
 */
export function openLoginWindow(url = "about:blank"): Window | null {
  const left = Math.max(0, Math.round(window.screenX + (window.outerWidth - WIDTH) / 2));
  const top = Math.max(0, Math.round(window.screenY + (window.outerHeight - HEIGHT) / 2));
  try {
    return window.open(url, "digitales-rathaus-login", `popup,width=${WIDTH},height=${HEIGHT},left=${left},top=${top}`);
  } catch {
    return null;
  }
}

/** How long a closed window may still deliver its message: it posts, then closes itself. */
const CLOSE_GRACE_MS = 600;
const POLL_MS = 400;

/**
 * Waits for the popup's message. Accepted only from the API's origin and from that very window,
 * and only once; a window closed without one counts as cancelled. `stop()` ends the wait (and
 * closes the window) as cancelled.
 */
export function waitForLogin(popup: Window, apiOrigin: string): { outcome: Promise<PopupOutcome>; stop(): void } {
  let finish: (o: PopupOutcome) => void = () => undefined;
  const outcome = new Promise<PopupOutcome>((resolve) => {
    let done = false;
    let closedAt = 0;
    finish = (o) => {
      if (done) return;
      done = true;
      window.removeEventListener("message", onMessage);
      clearInterval(timer);
      resolve(o);
    };
    const onMessage = (e: MessageEvent) => {
      if (e.origin !== apiOrigin || e.source !== popup) return;
      const o = readMessage(e.data);
      if (o) finish(o);
    };
    window.addEventListener("message", onMessage);
    const timer = setInterval(() => {
      if (!popup.closed) return;
      closedAt ||= Date.now();
      if (Date.now() - closedAt >= CLOSE_GRACE_MS) finish({ failure: "cancelled" });
    }, POLL_MS);
  });
  return {
    outcome,
    stop() {
      finish({ failure: "cancelled" });
      try {
        popup.close();
      } catch {
        // Already gone.
      }
    },
  };
}

/** The popup page's message, checked field by field: anything else on the channel is ignored. */
export function readMessage(data: unknown): PopupOutcome | undefined {
  if (typeof data !== "object" || data === null) return undefined;
  const m = data as Partial<Record<keyof LoginMessage | "error" | "message" | "code", unknown>>;
  if (m.type !== "digitales-rathaus:login") return undefined;
  if (typeof m.code === "string" && m.code) return { code: m.code };
  if (typeof m.error === "string" && m.error) {
    const msg = typeof m.message === "object" && m.message !== null ? (m.message as Record<string, unknown>) : {};
    const text = (k: "de" | "en") => (typeof msg[k] === "string" ? (msg[k] as string) : undefined);
    return { failure: m.error, message: { de: text("de"), en: text("en") } };
  }
  return undefined;
}
