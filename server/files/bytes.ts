/** Joins chunks into one array; a single chunk is returned as it is. */
export function concat(pieces: Uint8Array[], size = pieces.reduce((n, p) => n + p.byteLength, 0)): Uint8Array {
  if (pieces.length === 1) return pieces[0]!;
  const out = new Uint8Array(size);
  let at = 0;
  for (const p of pieces) {
    out.set(p, at);
    at += p.byteLength;
  }
  return out;
}
