import { isUtf8 } from 'node:buffer';
import { sbomIssue, type SbomIssue } from '../model/sbom-issue.js';

/**
 * Bytes -> text. UTF-8 (a leading byte-order mark is dropped) and UTF-16 with a byte-order mark (the SPDX
 * tools' own examples include one) are read; anything else that is not valid UTF-8 is refused with the
 * offset of the first bad byte, rather than silently turned into U+FFFD.
 */
export function decodeText(bytes: Uint8Array): { ok: true; text: string } | { ok: false; issue: SbomIssue } {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (buf.length >= 2 && buf[0] === 0xff && buf[1] === 0xfe) return { ok: true, text: new TextDecoder('utf-16le').decode(buf.subarray(2)) };
  if (buf.length >= 2 && buf[0] === 0xfe && buf[1] === 0xff) return { ok: true, text: new TextDecoder('utf-16be').decode(buf.subarray(2)) };
  const body = buf.length >= 3 && buf[0] === 0xef && buf[1] === 0xbb && buf[2] === 0xbf ? buf.subarray(3) : buf;
  if (isUtf8(body)) return { ok: true, text: body.toString('utf8') };
  const offset = firstInvalidUtf8Offset(body);
  return {
    ok: false,
    issue: sbomIssue('INVALID_ENCODING', `byte ${offset}`, `byte 0x${body[offset]?.toString(16).padStart(2, '0')} at offset ${offset} is not valid UTF-8; documents must be UTF-8 (or UTF-16 with a byte-order mark)`),
  };
}

function firstInvalidUtf8Offset(buf: Buffer): number {
  // Only run once a document has been found invalid, so a plain scan is fine (RFC 3629 section 4).
  for (let i = 0; i < buf.length; ) {
    const b = buf[i]!;
    const need = b < 0x80 ? 0 : b >= 0xc2 && b <= 0xdf ? 1 : b >= 0xe0 && b <= 0xef ? 2 : b >= 0xf0 && b <= 0xf4 ? 3 : -1;
    if (need < 0) return i;
    if (need > 0 && !isUtf8(buf.subarray(i, i + need + 1))) return i;
    i += need + 1;
  }
  return buf.length;
}

/** `line L, column C` (1-based) of a character offset, for messages about text documents. */
export function lineColumnAt(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let lineStart = 0;
  const end = Math.min(offset, text.length);
  for (let i = text.indexOf('\n'); i !== -1 && i < end; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, column: end - lineStart + 1 };
}
