import { z } from "zod";

const base64url43 = z.string().regex(/^[A-Za-z0-9_-]{43}$/, "43 characters of base64url");

/** `GET auth/providers/{id}/start`: opened by the widget in a popup or as the whole page. */
export const startQuery = z
  .object({
    /** The page's origin (one of the town's allowed origins): where the popup posts the code. */
    origin: z.string().regex(/^https?:\/\/[^/?#]+$/, "an origin like https://www.tangerhuette.de"),
    /** base64url(SHA-256(verifier)) of a verifier only the widget knows. */
    challenge: base64url43,
    mode: z.enum(["popup", "redirect"]),
    /** Redirect mode: the page to come back to, on `origin`. */
    return_to: z.url().max(2000).optional(),
    /** Linking a provider to the logged-in account: from `POST me/identities/{id}/link`. */
    intent: base64url43.optional(),
    lang: z.enum(["de", "en"]).optional(),
  })
  .strict();
export type StartQuery = z.output<typeof startQuery>;

export const exchangeInput = z.object({ code: base64url43, verifier: base64url43 }).strict();
export type ExchangeInput = z.output<typeof exchangeInput>;
