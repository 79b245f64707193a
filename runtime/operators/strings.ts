// Substring-style operators on byte strings (one UTF-16 unit per byte).
//
// CHARBUF values follow C-string rules upstream (strstr/strcasestr/strncmp),
// so both sides are cut at their first NUL. BYTEBUF values keep embedded NULs
// and use the b* helpers, which compare every byte.

/** The part of `s` before its first NUL byte. */
export function cString(s: string): string {
  const nul = s.indexOf('\0');
  return nul < 0 ? s : s.slice(0, nul);
}

export function contains(value: string, needle: string): boolean {
  return cString(value).includes(cString(needle));
}

export function startsWith(value: string, prefix: string): boolean {
  return cString(value).startsWith(cString(prefix));
}

export function endsWith(value: string, suffix: string): boolean {
  return cString(value).endsWith(cString(suffix));
}

// Only A-Z fold: strcasestr in the C locale leaves bytes >= 0x80 alone, while
// String.prototype.toLowerCase would also fold Latin-1 letters such as 0xC0.
export function asciiLower(s: string): string {
  // Most values have no capital: test (no allocation) before rebuilding.
  return HAS_UPPER.test(s) ? s.replace(UPPER_RUNS, (m) => m.toLowerCase()) : s;
}
const HAS_UPPER = /[A-Z]/;
const UPPER_RUNS = /[A-Z]+/g;

export function icontains(value: string, needle: string): boolean {
  return asciiLower(cString(value)).includes(asciiLower(cString(needle)));
}

/** icontains against a constant needle, lowered once. */
export function icontainsConstant(needle: string): (value: string) => boolean {
  const lowered = asciiLower(cString(needle));
  return (value) => asciiLower(cString(value)).includes(lowered);
}

export function bcontains(buffer: string, needle: string): boolean {
  return buffer.includes(needle);
}

export function bstartswith(buffer: string, prefix: string): boolean {
  return buffer.startsWith(prefix);
}

export function bendswith(buffer: string, suffix: string): boolean {
  return buffer.endsWith(suffix);
}

/**
 * Decodes the hex text that `bcontains`/`bstartswith` take on their right
 * side (either case, no separators). Null when a digit is bad or the count is
 * odd; the caller turns that into the compile error.
 */
export function parseHexBytes(text: string): string | null {
  if (text.length % 2 !== 0 || !/^[0-9A-Fa-f]*$/.test(text)) return null;
  let out = '';
  for (let i = 0; i < text.length; i += 2) {
    out += String.fromCharCode(parseInt(text.slice(i, i + 2), 16));
  }
  return out;
}
