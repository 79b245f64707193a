// libsinsp's path joining as field values see it (resolved FSPATH/FSRELPATH parameters,
// fs.path.*, fd names rebuilt from events). Unlike runtime/state/paths.ts it keeps libsinsp's
// quirks: the base is copied verbatim (so a base without a trailing `/` is glued to the
// path: `<UNKNOWN>` + `a` = `<UNKNOWN>a`), `..` never climbs above the first character, an
// empty base leaves a relative path relative, control bytes become `.`.

const SLASH = 0x2f;
const DOT = 0x2e;

const isInvalid = (c: number) => c < 0x20 || c === 0x7f;

/** `path` if it is absolute (normalised), else `base` + `path` normalised; '' for an empty path. */
export function concatenatePaths(base: string, path: string): string {
  if (path.length === 0) return '';
  const absolute = path.charCodeAt(0) === SLASH;
  // Most paths have nothing to resolve: no `.` component, no `//`, no control byte.
  if (!NEEDS_SANITIZING.test(path)) {
    const joined = absolute ? path : base + path;
    // The join ends as the (non-empty) path does: asking the path spares flattening the join.
    return joined.length > 1 && path.charCodeAt(path.length - 1) === SLASH ? joined.slice(0, -1) : joined;
  }
  return absolute ? sanitizeInto('', path, true) : sanitizeInto(base, path, base.length === 0);
}

// eslint-disable-next-line no-control-regex
const NEEDS_SANITIZING = /(?:^|\/)\.|\/\/|[\x00-\x1f\x7f]/;

/** Appends `path` to `out`, resolving `.`/`..`/`//` the way libsinsp's copier does. */
function sanitizeInto(out: string, path: string, emptyBase: boolean): string {
  let o = out;
  let p = 0;
  const n = path.length;
  const at = (i: number) => (i < n ? path.charCodeAt(i) : 0);
  // Back to the previous separator, never past the first character of the result.
  const rewind = (delta: number) => {
    if (o.length > 1) {
      let t = o.length - 1;
      while (t >= 1 && o.charCodeAt(t - 1) !== SLASH) t--;
      o = o.slice(0, t);
    }
    p += delta;
  };
  for (;;) {
    if (p >= n) {
      if (o.length > 1 && o.charCodeAt(o.length - 1) === SLASH) o = o.slice(0, -1);
      return o;
    }
    const c = path.charCodeAt(p);
    if (isInvalid(c)) {
      o += '.';
      p++;
    } else if (c === DOT && (o.length === 0 || o.charCodeAt(o.length - 1) === SLASH)) {
      const c1 = at(p + 1);
      const c2 = at(p + 2);
      if (c1 === DOT && c2 === SLASH) rewind(3);
      else if (c1 === DOT && p + 2 >= n) rewind(2);
      else if (c1 === SLASH) p += 2;
      else if (p + 1 >= n) p++;
      else {
        o += '.';
        p++;
      }
    } else if (c === SLASH) {
      if ((o.length > 0 && o.charCodeAt(o.length - 1) === SLASH) || (o.length === 0 && !emptyBase)) p++;
      else {
        o += '/';
        p++;
      }
    } else {
      o += path[p];
      p++;
    }
  }
}

/** `//` runs collapsed to one `/` (fd.nameraw). */
export function collapseSlashes(path: string): string {
  return path.includes('//') ? path.replace(/\/{2,}/g, '/') : path;
}

/** Control bytes dropped (libsinsp's strcpy_sanitized on path parameters). */
export function dropControlBytes(s: string): string {
  // eslint-disable-next-line no-control-regex
  return /[\x00-\x1f\x7f]/.test(s) ? s.replace(/[\x00-\x1f\x7f]/g, '') : s;
}
