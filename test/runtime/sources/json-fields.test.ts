// json plugin behaviour the shared field cases leave out: json.obj's Go indentation, rawtime,
// the plugin's own pointer walk (fastjson array indexes, no leading slash), failures, and that
// the fields apply to the events of other plugin sources.
import { describe, expect, it } from 'vitest';
import { JSON_FIELDS } from '../../../runtime/sources/json/fields.ts';
import { goIndent } from '../../../runtime/sources/json/go-indent.ts';
import { utf8Bytes } from '../../../runtime/sources/json-doc.ts';
import { PluginExtractError, type PluginEvent } from '../../../runtime/sources/plugin-event.ts';
import type { Extracted } from '../../../runtime/operators/values.ts';
import { fieldExtractor, pluginEvent } from './plugin-fixture.ts';

const eventOf = (text: string, source = 'json'): PluginEvent => pluginEvent(source, text, { ts: 1_700_000_000_123_456_789n });

const get = (field: string, text: string, arg?: string, source?: string): Extracted => fieldExtractor('json', JSON_FIELDS, field, arg)(eventOf(text, source));

const doc = '{"a":{"b":[10,{"c":"x"}],"":"empty key","s/t":1},"n":-1.50e3}';

describe('json.value', () => {
  it('walks pointers the plugin way', () => {
    expect(get('json.value', doc, '/a/b/1/c')).toBe('x');
    expect(get('json.value', doc, 'a/b/0')).toBe('10');
    expect(get('json.value', doc, '/a/b/00')).toBe('10');
    expect(get('json.value', doc, '/a/b/01/c')).toBe('x');
    expect(get('json.value', doc, '/a/b/+1/c')).toBe('x');
    expect(get('json.value', doc, '/a/b/-1')).toBeUndefined();
    expect(get('json.value', doc, '/a/')).toBe('empty key');
    expect(get('json.value', doc, '/a/s~1t')).toBe('1');
    expect(get('json.value', doc, '/n')).toBe('-1.50e3');
    expect(get('json.value', doc, '/a/b/1/c/d')).toBeUndefined();
    expect(get('jevt.value', doc, '/a')).toBe('{"b":[10,{"c":"x"}],"":"empty key","s/t":1}');
  });

  it('takes the first of repeated members, and returns UTF-8 bytes', () => {
    expect(get('json.value', '{"k":"first","k":"second"}', '/k')).toBe('first');
    expect(get('json.value', '{"k":"€"}', '/k')).toBe(utf8Bytes('€'));
  });

  it('fails without an argument, and on payloads that are not an object or array', () => {
    expect(() => get('json.value', doc, '')).toThrow(PluginExtractError);
    expect(() => get('json.value', '"just a string"', '/a')).toThrow(PluginExtractError);
    expect(() => get('json.value', '42', '/a')).toThrow(PluginExtractError);
    expect(() => get('json.value', '{"a":', '/a')).toThrow(PluginExtractError);
  });

  it('reads the events of other plugin sources', () => {
    expect(get('json.value', '{"kind":"Event","stage":"ResponseComplete"}', '/stage', 'k8s_audit')).toBe('ResponseComplete');
  });
});

describe('json.obj', () => {
  it('re-indents the payload as Go json.Indent does', () => {
    expect(get('json.obj', '{"a":[],"b":{},"c":[1,{"d":"x, {y}: [z]"}],"e":"q\\"uote"}')).toBe(
      '{\n  "a": [],\n  "b": {},\n  "c": [\n    1,\n    {\n      "d": "x, {y}: [z]"\n    }\n  ],\n  "e": "q\\"uote"\n}',
    );
    expect(goIndent(' \n{ "a" : 1e3 ,"b":[ ] } \n')).toBe('{\n  "a": 1e3,\n  "b": []\n} \n');
    expect(get('jevt.obj', '[]')).toBe('[]');
  });

  it('returns UTF-8 bytes and fails on a non-JSON payload', () => {
    expect(get('json.obj', '{"k":"é"}')).toBe(utf8Bytes('{\n  "k": "é"\n}'));
    expect(() => get('json.obj', 'plain text')).toThrow(PluginExtractError);
  });
});

describe('json.rawtime', () => {
  it('is the event time in ns as text, and fails on a non-JSON payload', () => {
    expect(get('json.rawtime', doc)).toBe('1700000000123456789');
    expect(get('jevt.rawtime', '[1]')).toBe('1700000000123456789');
    expect(() => get('json.rawtime', 'plain text')).toThrow(PluginExtractError);
  });
});
