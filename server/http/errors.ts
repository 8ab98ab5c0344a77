import type { ContentfulStatusCode } from "hono/utils/http-status";
import { type Bilingual, errorMessages } from "./messages.js";

export interface FieldError {
  code: string;
  messages: Bilingual;
}

/**
 * An error meant for the client: status, stable code, a German and English message and,
 * for bad input, the offending fields. Anything else thrown is an internal error.
 */
export class AppError extends Error {
  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    readonly messages: Bilingual,
    readonly fields?: Record<string, FieldError>,
    readonly headers?: Record<string, string>,
    /** More for the client to act on, beside `fields` (e.g. the free slots with `slot_taken`). */
    readonly extra?: Record<string, unknown>,
  ) {
    super(`${code}: ${messages.en}`);
    this.name = "AppError";
  }

  static of(status: ContentfulStatusCode, code: keyof typeof errorMessages, fields?: Record<string, FieldError>) {
    return new AppError(status, code, errorMessages[code], fields);
  }
}

export type Lang = "de" | "en";

/**
 * The language the client prefers among ours, by RFC 9110 q-values (`de;q=0.1, en;q=0.9` is
 * English). German wins ties and is the default for citizens; `q=0` means "not this one".
 */
export function preferredLang(acceptLanguage: string | undefined): Lang {
  let best: { lang: Lang; q: number } = { lang: "de", q: 0 };
  let germanRefused = false;
  for (const part of (acceptLanguage ?? "").split(",")) {
    const [range = "", ...params] = part.trim().toLowerCase().split(";");
    const qParam = params.map((p) => p.trim()).find((p) => p.startsWith("q="));
    const q = qParam === undefined ? 1 : Number(qParam.slice(2));
    if (!Number.isFinite(q)) continue;
    const lang: Lang | null = range === "en" || range.startsWith("en-") ? "en" : range === "de" || range.startsWith("de-") ? "de" : null;
    if (lang === "de" && q === 0) germanRefused = true;
    if (lang && (q > best.q || (q === best.q && lang === "de"))) best = { lang, q };
  }
  return best.q > 0 ? best.lang : germanRefused ? "en" : "de";
}

export function errorBody(err: AppError, lang: Lang) {
  const fields = err.fields
    ? Object.fromEntries(
        Object.entries(err.fields).map(([name, f]) => [
          name,
          { code: f.code, message: f.messages[lang], messages: f.messages },
        ]),
      )
    : undefined;
  return {
    error: {
      code: err.code,
      message: err.messages[lang],
      messages: err.messages,
      ...(fields ? { fields } : {}),
      ...err.extra,
    },
  };
}
