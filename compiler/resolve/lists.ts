// Lists: one-level expansion of list items, and Falco's textual substitution of list names into
// condition text. Falco substitutes before parsing, so the quirks are part of the language (a
// name is replaced wherever it stands between delimiters, even inside quotes; items with spaces
// are double-quoted; an empty list swallows one comma). See rules-language.md §8.

export interface CompiledList {
  name: string;
  /** Items after expanding references to earlier lists (raw items of those lists). */
  items: string[];
}

const BLANKS = ' \t\n\r';

/** Substitution may multiply a condition's size; past this it is refused instead of exhausting memory. */
export const MAX_CONDITION_CHARS = 16 * 1024 * 1024;

export class ConditionTooLarge extends Error {
  constructor(list: string, size: number) {
    super(`condition grows to ${size} characters after substituting list '${list}' (the limit is ${MAX_CONDITION_CHARS})`);
  }
}
const DELIMS = BLANKS + '(),=';

/** Falco's quote_item: double-quote an item with a space unless it already starts with a quote. */
export function quoteItem(item: string): string {
  return item.includes(' ') && item[0] !== '"' && item[0] !== "'" ? `"${item}"` : item;
}

/** Text after substitution, with each character's offset in the original text. */
export interface Substituted {
  text: string;
  origin: (offset: number) => number;
  used: Set<string>;
}

/**
 * Substitutes every list (in order) into `condition`, as Falco's resolve_list does for each
 * list in turn. Returns the offset map so parse positions can be traced back.
 */
export function substituteLists(condition: string, lists: readonly CompiledList[]): Substituted {
  let cnd = condition;
  let origin: Int32Array | undefined; // origin[i] = offset in `condition`; undefined = identity
  const used = new Set<string>();
  for (const list of lists) {
    const name = list.name;
    if (name.length === 0) continue;
    let start = cnd.indexOf(name);
    while (start >= 0) {
      let end = start + name.length;
      const before = start === 0 || DELIMS.includes(cnd[start - 1]!);
      const after = end >= cnd.length || DELIMS.includes(cnd[end]!);
      if (before && after) {
        const at = origin ? origin[start]! : start;
        while (start > 0 && BLANKS.includes(cnd[start - 1]!)) start--;
        while (end < cnd.length && BLANKS.includes(cnd[end]!)) end++;
        const sub = list.items.map(quoteItem).join(', ');
        if (sub === '') {
          if (start > 0 && cnd[start - 1] === ',') start--;
          else if (end < cnd.length && cnd[end] === ',') end++;
        }
        const inserted = (start > 0 ? ' ' : '') + sub + ' ';
        const size = cnd.length - (end - start) + inserted.length;
        if (size > MAX_CONDITION_CHARS) throw new ConditionTooLarge(name, size);
        const prev = origin ?? Int32Array.from({ length: cnd.length + 1 }, (_, i) => i);
        origin = new Int32Array(size + 1);
        origin.set(prev.subarray(0, start), 0);
        origin.fill(at, start, start + inserted.length);
        origin.set(prev.subarray(end), start + inserted.length);
        cnd = cnd.slice(0, start) + inserted + cnd.slice(end);
        start += sub.length + 1;
        used.add(name);
      }
      start = cnd.indexOf(name, start + 1);
    }
  }
  const map = origin;
  return {
    text: cnd,
    used,
    origin: map ? (o) => map[Math.max(0, Math.min(o, map.length - 1))]! : (o) => o,
  };
}
