// libsinsp's compile-time warnings on right-hand constants (the condition still compiles).
import type { FieldCatalog } from '../../runtime/fields/catalog.ts';
import { resolveField } from './field-resolve.ts';

const FIELD_SHAPE = /^([a-zA-Z]+[a-zA-Z0-9_]*(?:\.[a-zA-Z]+[a-zA-Z0-9_]*)+)(?:\[([^\]]*)\])?$/;
const TRANSFORMER_SHAPE = /^(?:tolower|toupper|b64|basename|len|join|concat|getopt|val)\(.*\)$/s;
const REGEX_SPECIALS = /[.+*?^$()[\]{}|\\]/;

function looksLikeField(v: string, catalog: FieldCatalog): boolean {
  const m = FIELD_SHAPE.exec(v);
  if (!m) return false;
  try {
    resolveField(m[1]!, m[2], catalog);
    return true;
  } catch {
    return false;
  }
}

/** A regex that is really a plain string (optionally anchored or with a leading/trailing `.*`). */
function trivialRegex(pattern: string): boolean {
  let p = pattern;
  if (p.startsWith('^')) p = p.slice(1);
  if (p.endsWith('$') && !p.endsWith('\\$')) p = p.slice(0, -1);
  if (/^\.[*+?]/.test(p)) p = p.slice(2);
  if (/\.[*+?]$/.test(p)) p = p.slice(0, -2);
  return !REGEX_SPECIALS.test(p);
}

export function constantWarnings(value: string, op: string, catalog: FieldCatalog): string[] {
  const out: string[] = [];
  const compact = value.replace(/\s+/g, '');
  if (looksLikeField(compact, catalog)) out.push(`'${value}' may be a valid field misused as a const string value`);
  else if (TRANSFORMER_SHAPE.test(compact)) out.push(`'${value}' may be a valid field transformer misused as a const string value`);
  if (op === 'regex' && trivialRegex(value)) {
    out.push(`regex check with '${value}' may be optimized with simpler operators such as '=', 'contains', 'startswith', 'endswith'`);
  }
  return out;
}
