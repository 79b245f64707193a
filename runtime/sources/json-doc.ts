// JSON documents as the plugins read them (valyala/fastjson in k8saudit, cloudtrail and json):
// members in document order (the first of duplicate keys wins a lookup), numbers and escaped
// strings kept as their source text, and any value re-printable as compact JSON text — what the plugins return for a
// non-string value. JSON.parse cannot do this (it reorders integer-like keys and normalises
// numbers), hence this small parser. Strings are JavaScript strings here; extractors turn what
// they return into byte strings (UTF-8) with utf8Bytes.

export type JsonNode =
  | { readonly k: 'obj'; readonly keys: readonly string[]; readonly vals: readonly JsonNode[] }
  | { readonly k: 'arr'; readonly items: readonly JsonNode[] }
  /** `raw`: the source text between the quotes, kept when it has escapes (re-printed as is). */
  | { readonly k: 'str'; readonly v: string; readonly raw?: string }
  | { readonly k: 'num'; readonly raw: string }
  | { readonly k: 'bool'; readonly v: boolean }
  | { readonly k: 'null' };

export class JsonSyntaxError extends Error {
  constructor(
    message: string,
    /** Character offset in the text. */
    readonly offset: number,
  ) {
    super(message);
  }
}

/** Nesting deeper than this is refused (hostile input must not exhaust the stack). */
const MAX_DEPTH = 1000;

const NULL: JsonNode = { k: 'null' };
const TRUE: JsonNode = { k: 'bool', v: true };
const FALSE: JsonNode = { k: 'bool', v: false };

/** Parses one JSON document (whitespace around it allowed); throws JsonSyntaxError. */
export function parseJson(text: string): JsonNode {
  let i = 0;
  const n = text.length;
  const fail = (what: string): never => {
    throw new JsonSyntaxError(i >= n ? `unexpected end of JSON (${what})` : `invalid JSON at offset ${i}: ${what}`, i);
  };
  const ws = () => {
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c !== 0x20 && c !== 0x0a && c !== 0x0d && c !== 0x09) break;
    }
  };
  const str = (): string => {
    // i is at the opening quote.
    const start = ++i;
    for (; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c === 0x22) return text.slice(start, i++);
      if (c === 0x5c) break;
      if (c < 0x20) fail('control character in a string');
    }
    let out = text.slice(start, i);
    while (i < n) {
      const c = text.charCodeAt(i);
      if (c === 0x22) {
        i++;
        return out;
      }
      if (c < 0x20) fail('control character in a string');
      if (c !== 0x5c) {
        out += text[i++];
        continue;
      }
      const e = text[i + 1];
      i += 2;
      switch (e) {
        case '"': out += '"'; break;
        case '\\': out += '\\'; break;
        case '/': out += '/'; break;
        case 'b': out += '\b'; break;
        case 'f': out += '\f'; break;
        case 'n': out += '\n'; break;
        case 'r': out += '\r'; break;
        case 't': out += '\t'; break;
        case 'u': {
          const hex = text.slice(i, i + 4);
          if (!/^[0-9a-fA-F]{4}$/.test(hex)) fail('bad \\u escape');
          out += String.fromCharCode(parseInt(hex, 16));
          i += 4;
          break;
        }
        default:
          i -= 2;
          fail('bad escape');
      }
    }
    return fail('unterminated string');
  };
  const num = (): JsonNode => {
    const start = i;
    if (text[i] === '-') i++;
    if (text[i] === '0') i++;
    else if (text[i]! >= '1' && text[i]! <= '9') while (text[i]! >= '0' && text[i]! <= '9') i++;
    else fail('bad number');
    if (text[i] === '.') {
      i++;
      if (!(text[i]! >= '0' && text[i]! <= '9')) fail('bad number');
      while (text[i]! >= '0' && text[i]! <= '9') i++;
    }
    if (text[i] === 'e' || text[i] === 'E') {
      i++;
      if (text[i] === '+' || text[i] === '-') i++;
      if (!(text[i]! >= '0' && text[i]! <= '9')) fail('bad number');
      while (text[i]! >= '0' && text[i]! <= '9') i++;
    }
    return { k: 'num', raw: text.slice(start, i) };
  };
  const word = (w: string, node: JsonNode): JsonNode => {
    if (text.startsWith(w, i)) {
      i += w.length;
      return node;
    }
    return fail('unexpected character');
  };
  const value = (depth: number): JsonNode => {
    if (depth > MAX_DEPTH) fail(`nested deeper than ${MAX_DEPTH}`);
    ws();
    switch (text[i]) {
      case '{': {
        i++;
        const keys: string[] = [];
        const vals: JsonNode[] = [];
        ws();
        if (text[i] === '}') {
          i++;
          return { k: 'obj', keys, vals };
        }
        for (;;) {
          ws();
          if (text[i] !== '"') fail('expected a member name');
          keys.push(str());
          ws();
          if (text[i] !== ':') fail("expected ':'");
          i++;
          vals.push(value(depth + 1));
          ws();
          if (text[i] === ',') {
            i++;
            continue;
          }
          if (text[i] === '}') {
            i++;
            return { k: 'obj', keys, vals };
          }
          fail("expected ',' or '}'");
        }
      }
      // falls through (unreachable: the loop returns or throws)
      case '[': {
        i++;
        const items: JsonNode[] = [];
        ws();
        if (text[i] === ']') {
          i++;
          return { k: 'arr', items };
        }
        for (;;) {
          items.push(value(depth + 1));
          ws();
          if (text[i] === ',') {
            i++;
            continue;
          }
          if (text[i] === ']') {
            i++;
            return { k: 'arr', items };
          }
          fail("expected ',' or ']'");
        }
      }
      // falls through (unreachable)
      case '"': {
        const start = i + 1;
        const v = str();
        // Escapes are re-printed as written (fastjson keeps a string's raw text).
        return i - 1 - start === v.length ? { k: 'str', v } : { k: 'str', v, raw: text.slice(start, i - 1) };
      }
      case 't':
        return word('true', TRUE);
      case 'f':
        return word('false', FALSE);
      case 'n':
        return word('null', NULL);
      default:
        return num();
    }
  };
  const root = value(0);
  ws();
  if (i < n) fail('text after the JSON value');
  return root;
}

/** The member `key` of an object (the first, if repeated); undefined otherwise. */
export function member(node: JsonNode | undefined, key: string): JsonNode | undefined {
  if (node?.k !== 'obj') return undefined;
  const at = node.keys.indexOf(key);
  return at < 0 ? undefined : node.vals[at];
}

/** Follows object keys (strings) and array indexes (numbers). */
export function at(node: JsonNode | undefined, ...path: readonly (string | number)[]): JsonNode | undefined {
  let cur = node;
  for (const p of path) {
    if (cur === undefined) return undefined;
    cur = typeof p === 'number' ? (cur.k === 'arr' ? cur.items[p] : undefined) : member(cur, p);
  }
  return cur;
}

/** RFC 6901 pointer (`/a/b/0`, `~1` is `/`, `~0` is `~`); "" is the whole document. */
export function pointer(node: JsonNode | undefined, ptr: string): JsonNode | undefined {
  if (ptr === '') return node;
  if (!ptr.startsWith('/')) return undefined;
  let cur = node;
  for (const raw of ptr.slice(1).split('/')) {
    const tok = raw.replace(/~1/g, '/').replace(/~0/g, '~');
    if (cur?.k === 'obj') cur = member(cur, tok);
    else if (cur?.k === 'arr' && /^(0|[1-9]\d*)$/.test(tok)) cur = cur.items[Number(tok)];
    else return undefined;
  }
  return cur;
}

/** Compact JSON text of a value: members in document order, numbers as written. */
export function compact(node: JsonNode): string {
  switch (node.k) {
    case 'obj': {
      let s = '{';
      for (let i = 0; i < node.keys.length; i++) s += (i ? ',' : '') + JSON.stringify(node.keys[i]) + ':' + compact(node.vals[i]!);
      return s + '}';
    }
    case 'arr':
      return '[' + node.items.map(compact).join(',') + ']';
    case 'str':
      return node.raw !== undefined ? `"${node.raw}"` : `"${node.v}"`;
    case 'num':
      return node.raw;
    case 'bool':
      return node.v ? 'true' : 'false';
    case 'null':
      return 'null';
  }
}

/** A string member's text, any other value's compact JSON (how fastjson-based plugins answer). */
export function text(node: JsonNode | undefined): string | undefined {
  if (node === undefined) return undefined;
  return node.k === 'str' ? node.v : compact(node);
}

/** The string of a string node; undefined for anything else. */
export function str(node: JsonNode | undefined): string | undefined {
  return node?.k === 'str' ? node.v : undefined;
}

// eslint-disable-next-line no-control-regex
const NON_ASCII = /[^\x00-\x7f]/;

/** A JavaScript string as the byte string (one char per UTF-8 byte) falcoc's operators compare. */
export function utf8Bytes(s: string): string {
  return NON_ASCII.test(s) ? Buffer.from(s, 'utf8').toString('latin1') : s;
}
