// Quoted-string escapes of the condition language, in both directions. Inputs and outputs are
// byte strings (see ast.ts).

export class EscapeError extends Error {}

const SIMPLE: Record<string, string> = { b: '\b', f: '\f', n: '\n', r: '\r', t: '\t', '\\': '\\', '/': '/' };

function isHex(c: string | undefined): boolean {
  return c !== undefined && /^[0-9a-fA-F]$/.test(c);
}

/** Decodes a quoted literal; `raw` includes its opening and closing quote. */
export function unescapeQuoted(raw: string): string {
  const quote = raw[0];
  const body = raw.slice(1, -1);
  let out = '';
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== '\\') {
      out += c;
      continue;
    }
    const e = body[++i];
    if (e === undefined) throw new EscapeError('unsupported string escape sequence: \\');
    const simple = SIMPLE[e];
    if (simple !== undefined) out += simple;
    else if (e === '"' || e === "'") {
      if (e !== quote) {
        throw new EscapeError(e === '"' ? `invalid \\" escape in '-quoted string` : `invalid \\' escape in "-quoted string`);
      }
      out += e;
    } else if (e === ' ') {
      // Legacy: "\ " stands for a lone backslash.
      out += '\\';
    } else if (e === 'x') {
      const h1 = body[i + 1];
      const h2 = body[i + 2];
      if (h1 === undefined || h2 === undefined) throw new EscapeError('truncated hex char escape sequence');
      if (!isHex(h1) || !isHex(h2)) throw new EscapeError(`invalid hex char escape sequence: ${h1}${h2}`);
      out += String.fromCharCode(parseInt(h1 + h2, 16));
      i += 2;
    } else {
      throw new EscapeError(`unsupported string escape sequence: \\${e}`);
    }
  }
  return out;
}

const NEEDS_QUOTES = /[ ="'\\\0\b\f\n\r\t]/;
const ESCAPES: Record<string, string> = { '\b': '\\b', '\f': '\\f', '\n': '\\n', '\r': '\\r', '\t': '\\t', '\\': '\\\\', '"': '\\"' };

/** Falco's printed form of a value: raw, or double-quoted with escapes when it must be. */
export function escapeValue(value: string): string {
  if (!NEEDS_QUOTES.test(value)) return value;
  let out = '"';
  for (const c of value) out += ESCAPES[c] ?? c;
  return out + '"';
}
