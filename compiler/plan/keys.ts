// Structural keys for typed conditions: two sub-expressions with the same key give the same
// result on every event, so the evaluator may compute them once. An operand's key is also the
// text a bundle hands the runtime to rebuild the operand's extractor (bundle-runtime.ts parses it
// again), so it must read back as the same operand.
import { printOperand } from '../parse/print.ts';
import type { Constant, TypedCheck, TypedOperand } from '../check/typed.ts';

/** Arguments and values Falco's printed form would leave bare and that read back unchanged. */
const BARE = /^[A-Za-z0-9_.:/+-]+$/;

/**
 * A double-quoted condition string holding `s` (a byte string). Quotes, backslashes and every
 * byte outside printable ASCII are `\xNN` escapes: no `\"` or `\\` (Falco's scanner ends a
 * string at the first quote not preceded by a backslash, so a value ending in `\` cannot be
 * written with `\\`).
 */
function quoted(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    out += c < 0x20 || c > 0x7e || c === 0x22 || c === 0x5c ? `\\x${c.toString(16).padStart(2, '0')}` : s[i];
  }
  return out + '"';
}

const text = (s: string) => (BARE.test(s) ? s : quoted(s));

/**
 * Falco's printed form (`proc.aname[2]`, `tolower(fd.name)`), except that arguments and values
 * are quoted whenever Falco's form would not read back (`proc.env["a]b"]` prints as `proc.env[a]b]`).
 */
export function operandKey(o: TypedOperand): string {
  return printOperand(o.node, text);
}

function constantKey(c: Constant): string {
  switch (c.kind) {
    case 'bytes':
      return JSON.stringify(c.value);
    case 'int':
      return `${c.value}n`;
    case 'bool':
      return String(c.value);
    case 'ip':
      return `ip${c.family}:${Array.from(c.addr).join('.')}`;
    case 'net':
      return `net${c.family}:${Array.from(c.addr).join('.')}/${c.prefix}`;
  }
}

export function checkKey(c: TypedCheck): string {
  const op = c.modifier ? `${c.op}.${c.modifier}` : c.op;
  const rhs = c.rhs ? ` val:${operandKey(c.rhs)}` : c.values ? ` [${c.values.map(constantKey).join(',')}]` : '';
  return `${operandKey(c.left)} ${op}${c.listSyntax ? ' list' : ''}${rhs}`;
}
