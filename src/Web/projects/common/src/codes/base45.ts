// Base45 (RFC 9285): the QR alphanumeric alphabet. Ticket codes travel in it, so a QR can use its dense alphanumeric mode.
const Alphabet = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ $%*+-./:';
const Values = new Map([...Alphabet].map((c, i) => [c, i]));

export function base45Encode(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    const n = bytes[i] * 256 + bytes[i + 1];
    out += Alphabet[n % 45] + Alphabet[Math.floor(n / 45) % 45] + Alphabet[Math.floor(n / 2025)];
  }
  if (bytes.length % 2 === 1) {
    const n = bytes[bytes.length - 1];
    out += Alphabet[n % 45] + Alphabet[Math.floor(n / 45)];
  }
  return out;
}

/** The bytes of a Base45 text, or null when it is not valid Base45 (wrong characters, length, or a value out of range). */
export function base45Decode(text: string): Uint8Array | null {
  if (text.length % 3 === 1) return null;
  const out = new Uint8Array(Math.floor(text.length / 3) * 2 + (text.length % 3 === 2 ? 1 : 0));
  let o = 0;
  for (let i = 0; i < text.length; i += 3) {
    const c = Values.get(text[i]);
    const d = Values.get(text[i + 1]);
    if (c === undefined || d === undefined) return null;
    if (i + 2 < text.length) {
      const e = Values.get(text[i + 2]);
      if (e === undefined) return null;
      const n = c + d * 45 + e * 2025;
      if (n > 0xffff) return null;
      out[o++] = n >> 8;
      out[o++] = n & 0xff;
    } else {
      const n = c + d * 45;
      if (n > 0xff) return null;
      out[o++] = n;
    }
  }
  return out;
}

export function fromBase64(text: string): Uint8Array {
  return Uint8Array.from(atob(text), (c) => c.charCodeAt(0));
}

export function toBase64(bytes: Uint8Array): string {
  return btoa(String.fromCharCode(...bytes));
}
