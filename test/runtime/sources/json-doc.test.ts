// The JSON reader the plugin sources share: document order and source text kept (what the
// fastjson-based plugins print for non-string values), pointers, and hostile documents refused
// with where and why.
import { describe, expect, it } from 'vitest';
import { at, compact, JsonSyntaxError, member, parseJson, pointer, text, utf8Bytes } from '../../../runtime/sources/json-doc.ts';

describe('json-doc', () => {
  it('keeps member order (integer-like keys too), number text and escapes as written', () => {
    const src = '{ "b": 1.50, "2": [1e3, -0, 10000000000000000000001], "a": "x\\u00e9\\/y", "n": null, "t": true }';
    const doc = parseJson(src);
    expect(compact(doc)).toBe('{"b":1.50,"2":[1e3,-0,10000000000000000000001],"a":"x\\u00e9\\/y","n":null,"t":true}');
    expect(text(member(doc, 'a'))).toBe('xé/y');
    expect(text(member(doc, '2'))).toBe('[1e3,-0,10000000000000000000001]');
    expect(text(at(doc, '2', 0))).toBe('1e3');
    expect(member(doc, 'missing')).toBeUndefined();
  });

  it('takes the first of repeated members, as fastjson', () => {
    expect(text(member(parseJson('{"k":"first","k":"second"}'), 'k'))).toBe('first');
  });

  it('follows RFC 6901 pointers', () => {
    const doc = parseJson('{"a/b":{"m~n":[10,20]},"":1}');
    expect(text(pointer(doc, '/a~1b/m~0n/1'))).toBe('20');
    expect(text(pointer(doc, '/'))).toBe('1');
    expect(pointer(doc, '/a~1b/m~0n/01')).toBeUndefined();
    expect(pointer(doc, 'no-slash')).toBeUndefined();
    expect(compact(pointer(doc, '')!)).toBe('{"a/b":{"m~n":[10,20]},"":1}');
  });

  it('refuses malformed and hostile documents with the offset, fast', () => {
    for (const bad of ['', '{', '{"a" 1}', '[1,]', '{"a":01}', '"\u0001"', 'nul', '1 2', '{"a":"\\x"}']) {
      expect(() => parseJson(bad), JSON.stringify(bad)).toThrow(JsonSyntaxError);
    }
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const t0 = performance.now();
    expect(() => parseJson(deep)).toThrow(/nested deeper than 1000/);
    expect(performance.now() - t0).toBeLessThan(1000);
    try {
      parseJson('{"a": tru}');
    } catch (e) {
      expect((e as JsonSyntaxError).offset).toBe(6);
    }
  });

  it('gives byte strings: UTF-8 bytes one char each, ASCII unchanged', () => {
    expect(utf8Bytes('plain')).toBe('plain');
    expect(utf8Bytes('é€')).toBe('\xc3\xa9\xe2\x82\xac');
  });
});
