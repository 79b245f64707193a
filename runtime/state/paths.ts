// Path joining as libsinsp does it for fd names and relative path parameters: the result is
// absolute and normalised (`//`, `.` and `..` removed, no trailing `/`). Paths are byte strings.

const SLASH = 0x2f;
const DOT = 0x2e;

/**
 * Whether `s[from, end)` is clean relative text: components separated by single slashes, none
 * empty, `.` or `..`, no slash at either end. Nearly every path an event carries is clean, and
 * checking is far cheaper than splitting and joining it (one scan, nothing allocated).
 */
function isClean(s: string, from: number, end: number): boolean {
  if (from >= end) return false;
  let start = from;
  for (let i = from; i <= end; i++) {
    if (i < end && s.charCodeAt(i) !== SLASH) continue;
    const len = i - start;
    if (len === 0) return false;
    if (s.charCodeAt(start) === DOT && (len === 1 || (len === 2 && s.charCodeAt(start + 1) === DOT))) return false;
    start = i + 1;
  }
  return true;
}

/** Whether `path` is already what normalizePath returns. */
function isNormalized(path: string): boolean {
  const n = path.length;
  if (n === 0 || path.charCodeAt(0) !== SLASH) return false;
  return n === 1 || isClean(path, 1, n);
}

/** Whether `dir` is a normalised absolute path, with or without a trailing `/`. */
function isNormalizedDir(dir: string): boolean {
  const n = dir.length;
  if (n === 0 || dir.charCodeAt(0) !== SLASH) return false;
  if (n === 1) return true;
  return isClean(dir, 1, dir.charCodeAt(n - 1) === SLASH ? n - 1 : n);
}

/** Normalises an absolute path. */
export function normalizePath(path: string): string {
  if (isNormalized(path)) return path;
  const out: string[] = [];
  for (const part of path.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') out.pop();
    else out.push(part);
  }
  return '/' + out.join('/');
}

/**
 * `path` if absolute, else `dir` + `/` + `path`; normalised either way. State keeps clean
 * paths; runtime/extract/path-concat.ts has libsinsp's quirkier join that field values show.
 */
export function resolvePath(dir: string, path: string): string {
  if (path.startsWith('/')) return normalizePath(path);
  if (path === '') return dir === '' ? '' : normalizePath(dir);
  const joined = dir.endsWith('/') ? dir + path : `${dir}/${path}`;
  // Two clean halves make a clean whole: checking them apart spares flattening the join.
  return isNormalizedDir(dir) && isClean(path, 0, path.length) ? joined : normalizePath(joined);
}

/** A cwd as libsinsp stores it: absolute, with a trailing `/`. */
export function cwdForm(dir: string): string {
  const p = normalizePath(dir);
  return p.endsWith('/') ? p : p + '/';
}

export function dirname(path: string): string {
  const i = path.lastIndexOf('/');
  return i <= 0 ? '/' : path.slice(0, i);
}

export function basename(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
