// Path joining as libsinsp does it for fd names and relative path parameters: the result is
// absolute and normalised (`//`, `.` and `..` removed, no trailing `/`). Paths are byte strings.

const SLASH = 0x2f;
const DOT = 0x2e;

/**
 * Whether `path` is already what normalizePath returns: absolute, no empty, `.` or `..`
 * component, no trailing `/` (except `/` itself). Nearly every path an event carries is, and
 * checking is far cheaper than splitting and joining it (one scan, nothing allocated).
 */
function isNormalized(path: string): boolean {
  const n = path.length;
  if (n === 0 || path.charCodeAt(0) !== SLASH) return false;
  if (n === 1) return true;
  for (let i = 0; i < n; i++) {
    if (path.charCodeAt(i) !== SLASH) continue;
    // A component starts at i + 1: it must be non-empty and neither `.` nor `..`.
    if (i + 1 === n) return false;
    const c1 = path.charCodeAt(i + 1);
    if (c1 === SLASH) return false;
    if (c1 === DOT) {
      if (i + 2 === n) return false;
      const c2 = path.charCodeAt(i + 2);
      if (c2 === SLASH) return false;
      if (c2 === DOT && (i + 3 === n || path.charCodeAt(i + 3) === SLASH)) return false;
    }
  }
  return true;
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
  return normalizePath(dir.endsWith('/') ? dir + path : `${dir}/${path}`);
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
