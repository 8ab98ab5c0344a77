import { decodeBase64urlIgnorePadding, encodeBase64urlNoPadding } from "@oslojs/encoding";
import { AppError } from "../http/errors.js";

/** Where a page of published items ends: keyset pagination on (publishedAt, id), newest first. */
export interface NewsPosition {
  publishedAt: number;
  id: string;
}

/** Opaque to clients, so the ordering can change without breaking their links. */
export function encodeCursor(p: NewsPosition): string {
  return encodeBase64urlNoPadding(new TextEncoder().encode(JSON.stringify([p.publishedAt, p.id])));
}

export function decodeCursor(s: string): NewsPosition {
  try {
    const [publishedAt, id] = JSON.parse(new TextDecoder().decode(decodeBase64urlIgnorePadding(s))) as [unknown, unknown];
    if (typeof publishedAt === "number" && typeof id === "string") return { publishedAt, id };
  } catch {
    // fall through to the validation error
  }
  throw AppError.of(400, "validation_failed", { cursor: { code: "invalid", messages: { de: "Ungültige Seitenangabe.", en: "Invalid page cursor." } } });
}
