// Field transformers applied to extracted values (condition-grammar.md §6). A transformer that
// fails (bad base64, getopt option never given) makes the extraction fail: every check is false.
import type { Extracted, Value } from './values.ts';
import { valueText } from './values.ts';
import { asciiLower, cString } from './strings.ts';

const asciiUpper = (s: string) => s.replace(/[a-z]+/g, (m) => m.toUpperCase());

// Padding may be left out (libsinsp decodes `YWFhLWJiYg` as `aaa-bbb`).
const B64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}(?:==)?|[A-Za-z0-9+/]{3}=?)?$/;

/** Base64 (standard alphabet); undefined when the text is not base64. */
export function base64Decode(s: string): string | undefined {
  if (!B64.test(s)) return undefined;
  return Buffer.from(s, 'base64').toString('latin1');
}

export function basename(s: string): string {
  const slash = s.lastIndexOf('/');
  return slash < 0 ? s : s.slice(slash + 1);
}

function mapValues(x: Extracted, f: (s: string) => string | undefined): Extracted {
  if (x === undefined) return undefined;
  if (Array.isArray(x)) {
    const out: Value[] = [];
    for (const v of x) {
      const r = f(valueText(v));
      if (r === undefined) return undefined;
      out.push(r);
    }
    return out;
  }
  return f(valueText(x as Value));
}

/** tolower, toupper, b64, basename, len on one extraction. `buffer`: the input is a BYTEBUF. */
export function applyUnaryTransformer(name: string, x: Extracted, buffer: boolean): Extracted {
  switch (name) {
    case 'tolower':
      return mapValues(x, asciiLower);
    case 'toupper':
      return mapValues(x, asciiUpper);
    case 'b64':
      return mapValues(x, base64Decode);
    case 'basename':
      return mapValues(x, basename);
    case 'len':
      if (x === undefined) return undefined;
      if (Array.isArray(x)) return BigInt(x.length);
      return BigInt((buffer ? valueText(x as Value) : cString(valueText(x as Value))).length);
    default:
      throw new Error(`not a unary transformer: ${name}`);
  }
}

/**
 * getopt-style scan of `args` with `optstring`: option letters, each followed by its argument
 * when it takes one. Stops at `--`, at the first non-option, or at a missing argument (which
 * yields ""). Unknown letters yield "?".
 */
export function getopt(args: readonly string[], optstring: string): { letter: string; arg?: string }[] {
  const spec = optstring.startsWith(':') ? optstring.slice(1) : optstring;
  const takesArg = (c: string) => {
    const i = spec.indexOf(c);
    return i >= 0 && c !== ':' ? (spec[i + 1] === ':' ? true : false) : undefined;
  };
  const out: { letter: string; arg?: string }[] = [];
  for (let i = 0; i < args.length; i++) {
    const tok = args[i]!;
    if (tok === '--') break;
    if (tok.startsWith('--')) continue;
    if (tok.length < 2 || tok[0] !== '-') break;
    for (let k = 1; k < tok.length; k++) {
      const c = tok[k]!;
      const arg = takesArg(c);
      if (arg === undefined) {
        out.push({ letter: '?' });
        continue;
      }
      if (!arg) {
        out.push({ letter: c });
        continue;
      }
      const rest = tok.slice(k + 1);
      if (rest !== '') out.push({ letter: c, arg: rest });
      else if (i + 1 < args.length) out.push({ letter: c, arg: args[++i]! });
      else return [...out, { letter: c, arg: '' }];
      break;
    }
  }
  return out;
}

/** getopt(...) as a list value, or with `[c]` the value of the last `-c`. */
export function getoptValue(args: readonly string[], optstring: string, select?: string): Extracted {
  const opts = getopt(args, optstring);
  if (select === undefined) return opts.flatMap((o) => (o.arg === undefined ? [o.letter] : [o.letter, o.arg]));
  let found: string | undefined;
  for (const o of opts) if (o.letter === select) found = o.arg ?? o.letter;
  return found;
}
