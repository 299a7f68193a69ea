/** A file's bytes as text, or why they cannot be edited as text. */
export type DecodedText = { ok: true; text: string; byteOrderMark: boolean } | { ok: false; message: string };

/** Decodes UTF-8 text; refuses binary content (a NUL byte in the first 8000 bytes, as git does) and invalid UTF-8. */
export function decodeText(bytes: Buffer): DecodedText {
  if (bytes.subarray(0, 8000).includes(0)) return { ok: false, message: 'the file is binary' };
  const text = bytes.toString('utf8');
  if (!Buffer.from(text, 'utf8').equals(bytes)) return { ok: false, message: 'the file is not valid UTF-8' };
  if (text.startsWith('\uFEFF')) return { ok: true, text: text.slice(1), byteOrderMark: true };
  return { ok: true, text, byteOrderMark: false };
}

export function encodeText(text: string, byteOrderMark: boolean): Buffer {
  return Buffer.from(byteOrderMark ? `\uFEFF${text}` : text, 'utf8');
}
