// json plugin fields (json.*, and the jevt.* aliases), extracted from the events of every plugin
// source and of the json source, as falcosecurity/plugins' json plugin (0.7.x) does:
// - every field first checks that the payload is a JSON object or array (the plugin looks at the
//   first byte for `{` or `[`, then parses); otherwise the extraction fails;
// - json.value[ptr] walks an RFC 6901 pointer the plugin's way (one leading `/` dropped, split on
//   `/`, `~1` then `~0` unescaped, each step a fastjson Get); a missing value sets nothing; a
//   string gives its text, any other value its compact JSON;
// - json.obj is the raw payload re-indented by Go's json.Indent (two spaces);
// - json.rawtime is the event time in ns, as decimal text.
import type { FieldRef } from '../../extract/context.ts';
import { compact, utf8Bytes, type JsonNode } from '../json-doc.ts';
import { PluginExtractError, type PluginEvent, type PluginFieldFactory } from '../plugin-event.ts';
import { fastjsonGet } from './fastjson-path.ts';
import { goIndent } from './go-indent.ts';

/** The parsed payload, or the failure the plugin reports for a payload that is not JSON. */
function jsonDoc(ev: PluginEvent): JsonNode {
  const doc = ev.doc;
  if (doc?.k !== 'obj' && doc?.k !== 'arr') throw new PluginExtractError('invalid json format');
  return doc;
}

/** The pointer's steps as the plugin splits them. */
function pointerSteps(arg: string): string[] {
  const path = arg.startsWith('/') ? arg.slice(1) : arg;
  return path.split('/').map((k) => k.replace(/~1/g, '/').replace(/~0/g, '~'));
}

const value: PluginFieldFactory = (ref: FieldRef) => {
  const arg = ref.arg;
  // The plugin indexes the argument's first byte: an empty one cannot be extracted.
  if (arg === undefined || arg === '') {
    return (ev) => {
      jsonDoc(ev);
      throw new PluginExtractError('value argument is required');
    };
  }
  const steps = pointerSteps(arg);
  return (ev) => {
    const v = fastjsonGet(jsonDoc(ev), ...steps);
    if (v === undefined) return undefined;
    return utf8Bytes(v.k === 'str' ? v.v : compact(v));
  };
};

const obj: PluginFieldFactory = () => (ev) => {
  jsonDoc(ev);
  return utf8Bytes(goIndent(ev.text));
};

const rawtime: PluginFieldFactory = () => (ev) => {
  jsonDoc(ev);
  return ev.ts.toString();
};

export const JSON_FIELDS: Readonly<Record<string, PluginFieldFactory>> = {
  'json.value': value,
  'json.obj': obj,
  'json.rawtime': rawtime,
  'jevt.value': value,
  'jevt.obj': obj,
  'jevt.rawtime': rawtime,
};
