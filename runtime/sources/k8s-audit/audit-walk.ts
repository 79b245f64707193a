// How the k8saudit plugin reaches into an audit event: fastjson's Value.Get (an object's member,
// or an array's element when the key is a decimal index) and the plugin's recursive walk, which
// fans out over every array it meets on the way (or picks one element of each, given an index).
import { compact, member, type JsonNode } from '../json-doc.ts';
import { PluginExtractError, type PluginEvent } from '../plugin-event.ts';

/** The index filter meaning "every element" (the field was used without an [N] argument). */
export const EVERY = -1;

const DECIMAL = /^[+-]?\d+$/;

/** fastjson's Get of one key: objects by member name (the first), arrays by Go-Atoi index. */
export function child(node: JsonNode | undefined, key: string): JsonNode | undefined {
  if (node === undefined) return undefined;
  if (node.k === 'obj') return member(node, key);
  if (node.k === 'arr' && DECIMAL.test(key)) {
    const i = Number(key);
    return i < 0 ? undefined : node.items[i];
  }
  return undefined;
}

/** fastjson's Get of a key path. */
export function getPath(node: JsonNode | undefined, keys: readonly string[]): JsonNode | undefined {
  let cur = node;
  for (let i = 0; i < keys.length && cur !== undefined; i++) cur = child(cur, keys[i]!);
  return cur;
}

/**
 * The plugin's getValuesRecursive: follows `keys`; an array met before a key is expanded (each
 * element walked on with the remaining keys; an element missing the path gives a null) or, with
 * an index, replaced by that element. An array reached by the last key is returned whole. An
 * empty key keeps the current value. Undefined when the path is missing (ErrExtractNotAvailable).
 */
export function valuesAlong(node: JsonNode, index: number, keys: readonly string[], from = 0): (JsonNode | null)[] | undefined {
  let cur: JsonNode | undefined = node;
  for (let i = from; i < keys.length; i++) {
    if (cur.k === 'arr') {
      if (index === EVERY) {
        const out: (JsonNode | null)[] = [];
        for (const item of cur.items) {
          const vals = valuesAlong(item, index, keys, i);
          if (vals === undefined) out.push(null);
          else for (const v of vals) out.push(v);
        }
        return out;
      }
      cur = cur.items[index];
      if (cur === undefined) return undefined;
    }
    const key = keys[i]!;
    if (key !== '') cur = child(cur, key);
    if (cur === undefined) return undefined;
  }
  return [cur];
}

/** The plugin's jsonValueAsString: a string's text, any other value's compact JSON. */
export function asText(node: JsonNode): string {
  return node.k === 'str' ? node.v : compact(node);
}

/** ErrExtractWrongType: the event has a value of a type the field cannot use. */
export function wrongType(): PluginExtractError {
  return new PluginExtractError('wrong type conversion');
}

/**
 * The event as every k8saudit field first reads it: the payload must start with `{` or `[` and
 * parse (else the extraction fails), and events without an auditID are not audit events (no
 * value for any field).
 */
export function auditEvent(ev: PluginEvent): JsonNode | undefined {
  // Judged on the parsed document, not the text: an event's text is only made when asked for.
  if (ev.doc === undefined) throw new PluginExtractError('the event is not valid JSON');
  if (ev.doc.k !== 'obj' && ev.doc.k !== 'arr') throw new PluginExtractError('broken JSON data');
  return child(ev.doc, 'auditID') === undefined ? undefined : ev.doc;
}
