// ka.uri.param reads the request URI as Go's net/url does: url.Parse, then url.ParseQuery of the
// raw query, and any error of either fails the extraction. Kept here: where the raw query is,
// and the checks that make Go refuse a URI (control bytes, a colon in a scheme-less first
// segment, bad percent escapes, a bad port or host or userinfo character) or a query (a
// semicolon, a bad escape). Works on byte strings (one char per byte), as Go does.

export class UriError extends Error {}

/** Query parameters: name → values in order of appearance (byte strings). */
export type UriQuery = ReadonlyMap<string, readonly string[]>;

const HEX = /^[0-9a-fA-F]{2}$/;
// eslint-disable-next-line no-control-regex
const CONTROL = /[\x00-\x1f\x7f]/;

type Mode = 'path' | 'fragment' | 'host' | 'userinfo' | 'query';

// Bytes Go refuses unescaped in a host (of those that can reach it: '/', '?', '#' and '@' are
// split off before).
const BAD_HOST_BYTES = new Set([' ', '"', '{', '}', '|', '\\', '^', '`']);
// Bytes Go accepts in userinfo besides letters and digits.
const USERINFO_EXTRA = new Set([...'-._:~!$&\'()*+,;=%@']);

/** Go's unescape: `%XX` decoded (a malformed escape is an error), `+` a space in query parts. */
function unescape(s: string, mode: Mode): string {
  if (!s.includes('%') && !(mode === 'query' && s.includes('+')) && mode !== 'host') return s;
  let out = '';
  for (let i = 0; i < s.length; ) {
    const c = s[i]!;
    if (c === '%') {
      const hex = s.slice(i + 1, i + 3);
      if (!HEX.test(hex)) throw new UriError(`invalid URL escape "${s.slice(i, i + 3)}"`);
      // In a host, Go takes no escape of a byte below 0x80 but %25.
      if (mode === 'host' && parseInt(hex[0]!, 16) < 8 && hex !== '25') throw new UriError(`invalid URL escape "%${hex}"`);
      out += String.fromCharCode(parseInt(hex, 16));
      i += 3;
      continue;
    }
    if (mode === 'host' && BAD_HOST_BYTES.has(c)) throw new UriError(`invalid character "${c}" in host name`);
    out += mode === 'query' && c === '+' ? ' ' : c;
    i++;
  }
  return out;
}

/** Go's validOptionalPort: "" or ":" followed by digits only. */
function validOptionalPort(port: string): boolean {
  return port === '' || /^:\d*$/.test(port);
}

function checkHost(host: string): void {
  if (host.startsWith('[')) {
    const end = host.indexOf(']');
    if (end < 0) throw new UriError("missing ']' in host");
    if (!validOptionalPort(host.slice(end + 1))) throw new UriError(`invalid port "${host.slice(end + 1)}" after host`);
    return;
  }
  const colon = host.lastIndexOf(':');
  if (colon >= 0 && !validOptionalPort(host.slice(colon))) throw new UriError(`invalid port "${host.slice(colon)}" after host`);
  unescape(host, 'host');
}

function checkAuthority(authority: string): void {
  const at = authority.lastIndexOf('@');
  checkHost(authority.slice(at + 1));
  if (at < 0) return;
  const userinfo = authority.slice(0, at);
  for (const c of userinfo) {
    if (!/[A-Za-z0-9]/.test(c) && !USERINFO_EXTRA.has(c)) throw new UriError('invalid userinfo');
  }
  const colon = userinfo.indexOf(':');
  unescape(colon < 0 ? userinfo : userinfo.slice(0, colon), 'userinfo');
  if (colon >= 0) unescape(userinfo.slice(colon + 1), 'userinfo');
}

/** url.Parse(uri).RawQuery; throws UriError where url.Parse fails. */
function rawQueryOf(uri: string): string {
  const hash = uri.indexOf('#');
  const main = hash < 0 ? uri : uri.slice(0, hash);
  if (CONTROL.test(main)) throw new UriError('invalid control character in URL');
  if (main !== '*') checkMain(main);
  if (hash >= 0) unescape(uri.slice(hash + 1), 'fragment');
  if (main.endsWith('?') && main.indexOf('?') === main.length - 1) return '';
  const q = main.indexOf('?');
  return q < 0 ? '' : main.slice(q + 1);
}

/** The checks of Go's parse() on the part before '#'. */
function checkMain(main: string): void {
  let scheme = '';
  let rest = main;
  for (let i = 0; i < main.length; i++) {
    const c = main[i]!;
    if (/[A-Za-z]/.test(c)) continue;
    if (/[0-9+\-.]/.test(c)) {
      if (i === 0) break;
      continue;
    }
    if (c === ':') {
      if (i === 0) throw new UriError('missing protocol scheme');
      scheme = main.slice(0, i);
      rest = main.slice(i + 1);
    }
    break;
  }
  if (rest.endsWith('?') && rest.indexOf('?') === rest.length - 1) rest = rest.slice(0, -1);
  else {
    const q = rest.indexOf('?');
    if (q >= 0) rest = rest.slice(0, q);
  }
  if (!rest.startsWith('/')) {
    if (scheme !== '') return; // opaque: no further checks
    const slash = rest.indexOf('/');
    if ((slash < 0 ? rest : rest.slice(0, slash)).includes(':')) throw new UriError('first path segment in URL cannot contain colon');
  }
  if ((scheme !== '' || !rest.startsWith('///')) && rest.startsWith('//')) {
    const slash = rest.indexOf('/', 2);
    checkAuthority(slash < 0 ? rest.slice(2) : rest.slice(2, slash));
    rest = slash < 0 ? '' : rest.slice(slash);
  }
  unescape(rest, 'path');
}

/** url.ParseQuery(url.Parse(uri).RawQuery); throws UriError where either fails. */
export function uriQuery(uri: string): UriQuery {
  const query = new Map<string, string[]>();
  let failure: UriError | undefined;
  for (const pair of rawQueryOf(uri).split('&')) {
    if (pair.includes(';')) {
      failure ??= new UriError('invalid semicolon separator in query');
      continue;
    }
    if (pair === '') continue;
    const eq = pair.indexOf('=');
    let key: string;
    let value: string;
    try {
      key = unescape(eq < 0 ? pair : pair.slice(0, eq), 'query');
      value = unescape(eq < 0 ? '' : pair.slice(eq + 1), 'query');
    } catch (e) {
      failure ??= e as UriError;
      continue;
    }
    const values = query.get(key);
    if (values) values.push(value);
    else query.set(key, [value]);
  }
  if (failure) throw failure;
  return query;
}
