// Rule text enters generated code only through these functions. Everything outside printable
// ASCII is written as an escape, so no rule string can end a literal or a comment, start a new
// line (LF, CR, U+2028, U+2029) or open a template: the generated code's shape never depends
// on what the rules files say.

function escapeChar(c: number): string {
  if (c < 0x100) return `\\x${c.toString(16).padStart(2, '0')}`;
  return `\\u${c.toString(16).padStart(4, '0')}`;
}

function escaped(s: string, alsoEscape: string): string {
  let out = '';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ch = s[i]!;
    if (c < 0x20 || c > 0x7e || ch === '\\' || alsoEscape.includes(ch)) out += escapeChar(c);
    else out += ch;
  }
  return out;
}

/** A double-quoted JavaScript string literal whose value is `s`. */
export function stringLiteral(s: string): string {
  return `"${escaped(s, '"`$')}"`;
}

/** Text for a `//` comment: printable ASCII only, `*` `/` escaped so no comment can close or nest. */
export function commentText(s: string): string {
  return escaped(s, '*/');
}

/** A bigint literal. */
export function bigintLiteral(n: bigint): string {
  return `${n}n`;
}
