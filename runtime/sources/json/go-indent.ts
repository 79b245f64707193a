// Go's encoding/json Indent with prefix "" and indent "  ", which the json plugin applies to the
// raw event for json.obj: whitespace between tokens is dropped, every member and item goes on its
// own line, `{}` and `[]` stay compact, `:` is followed by one space, string and number text is
// copied unchanged, leading whitespace is dropped and trailing whitespace kept.

const isSpace = (c: string) => c === ' ' || c === '\t' || c === '\n' || c === '\r';

/** Re-indents JSON text that is known to be valid (it parsed). */
export function goIndent(src: string): string {
  let i = 0;
  const n = src.length;
  while (i < n && isSpace(src[i]!)) i++;
  // The end of the value: everything after it is (trailing) whitespace, copied as is.
  let end = n;
  while (end > i && isSpace(src[end - 1]!)) end--;
  let out = '';
  let depth = 0;
  let needIndent = false;
  const newline = (d: number) => '\n' + '  '.repeat(d);
  while (i < end) {
    const c = src[i]!;
    if (isSpace(c)) {
      i++;
      continue;
    }
    if (needIndent && c !== '}' && c !== ']') {
      needIndent = false;
      out += newline(++depth);
    }
    switch (c) {
      case '"': {
        const start = i++;
        while (i < end && src[i] !== '"') i += src[i] === '\\' ? 2 : 1;
        out += src.slice(start, ++i);
        continue;
      }
      case '{':
      case '[':
        needIndent = true;
        out += c;
        break;
      case ',':
        out += ',' + newline(depth);
        break;
      case ':':
        out += ': ';
        break;
      case '}':
      case ']':
        if (needIndent) needIndent = false;
        else out += newline(--depth);
        out += c;
        break;
      default:
        out += c;
    }
    i++;
  }
  return out + src.slice(end);
}
