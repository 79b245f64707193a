// Path joining as libsinsp does it for fd names and relative path parameters: the result is
// absolute and normalised (`//`, `.` and `..` removed, no trailing `/`). Paths are byte strings.

const SLASH = 0x2f;

// What normalizePath would change, as regular expressions: nearly every path an event carries
// is already normal, and a test (compiled to machine code, nothing allocated) is far cheaper
// than splitting and joining it, and cheaper than a scan in JavaScript. Paths are byte strings:
// `[^]`, not `.`, so a newline is a character like any other.
/** In an absolute path: `//`, a `.` or `..` component, a trailing `/`. */
const NOT_NORMAL = /\/\/|\/\.\.?(?:\/|$)|[^]\/$/;
/** In a directory: the same, except that one trailing `/` is fine. */
const NOT_NORMAL_DIR = /\/\/|\/\.\.?(?:\/|$)/;
/** In a relative path: a leading `/`, or anything that makes `/` + path not normal. */
const NOT_CLEAN_RELATIVE = /^\/|^\.\.?(?:\/|$)|\/\/|\/\.\.?(?:\/|$)|\/$/;

/** Whether `path` is already what normalizePath returns. */
function isNormalized(path: string): boolean {
  return path.length > 0 && path.charCodeAt(0) === SLASH && !NOT_NORMAL.test(path);
}

/** Whether `dir` is a normalised absolute path, with or without a trailing `/`. */
function isNormalizedDir(dir: string): boolean {
  return dir.length > 0 && dir.charCodeAt(0) === SLASH && !NOT_NORMAL_DIR.test(dir);
}

/** Whether a relative path appended to a normalised directory leaves it normalised. */
function isCleanRelative(path: string): boolean {
  return path.length > 0 && !NOT_CLEAN_RELATIVE.test(path);
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
  return isNormalizedDir(dir) && isCleanRelative(path) ? joined : normalizePath(joined);
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
