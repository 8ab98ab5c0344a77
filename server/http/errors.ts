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
  ) {
    super(`${code}: ${messages.en}`);
    this.name = "AppError";
  }

  static of(status: ContentfulStatusCode, code: keyof typeof errorMessages, fields?: Record<string, FieldError>) {
    return new AppError(status, code, errorMessages[code], fields);
  }
}

export type Lang = "de" | "en";

/** English only when the client asks for it first; German is the default for citizens. */
export function preferredLang(acceptLanguage: string | undefined): Lang {
  const first = acceptLanguage?.split(",")[0]?.trim().toLowerCase() ?? "";
  return first.startsWith("en") ? "en" : "de";
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
    },
  };
}
