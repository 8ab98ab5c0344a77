/**
 * A tiny ZIP reader for the tests: stored entries only, found through the central directory as
 * unzip tools find them, each checked against its CRC-32. Written apart from the server's
 * writer (bitwise CRC, no shared code), so a bug there cannot hide in both.
 */
function crc32(bytes: Uint8Array): number {
  let c = 0xffffffff;
  for (const b of bytes) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return (c ^ 0xffffffff) >>> 0;
}

export function readZip(zip: Uint8Array): Map<string, Uint8Array> {
  const v = new DataView(zip.buffer, zip.byteOffset, zip.byteLength);
  let end = zip.length - 22;
  while (end >= 0 && v.getUint32(end, true) !== 0x06054b50) end--;
  if (end < 0) throw new Error("zip: no end of central directory");
  const count = v.getUint16(end + 10, true);
  let at = v.getUint32(end + 16, true);
  const files = new Map<string, Uint8Array>();
  for (let i = 0; i < count; i++) {
    if (v.getUint32(at, true) !== 0x02014b50) throw new Error(`zip: bad central header ${i}`);
    const flags = v.getUint16(at + 8, true);
    const method = v.getUint16(at + 10, true);
    const crc = v.getUint32(at + 16, true);
    const size = v.getUint32(at + 20, true);
    const nameLength = v.getUint16(at + 28, true);
    const extra = v.getUint16(at + 30, true);
    const comment = v.getUint16(at + 32, true);
    const local = v.getUint32(at + 42, true);
    const name = new TextDecoder(flags & 0x0800 ? "utf-8" : "latin1").decode(zip.subarray(at + 46, at + 46 + nameLength));
    if (method !== 0) throw new Error(`zip: ${name} is compressed`);
    if (v.getUint32(local, true) !== 0x04034b50) throw new Error(`zip: bad local header of ${name}`);
    const start = local + 30 + v.getUint16(local + 26, true) + v.getUint16(local + 28, true);
    const bytes = zip.slice(start, start + size);
    if (crc32(bytes) !== crc) throw new Error(`zip: CRC mismatch in ${name}`);
    files.set(name, bytes);
    at += 46 + nameLength + extra + comment;
  }
  return files;
}
