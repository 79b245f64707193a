// Path joining as libsinsp does it for fd names and relative path parameters: the result is
// absolute and normalised (`//`, `.` and `..` removed, no trailing `/`). Paths are byte strings.

/** Normalises an absolute path. */
export function normalizePath(path: string): string {
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
