import { describe, expect, test } from 'vitest';
import { substituteLists, quoteItem } from '../../../compiler/resolve/lists.ts';

const lists = [
  { name: 'shells', items: ['bash', 'sh'] },
  { name: 'spaced', items: ['a b', '"quoted x"'] },
  { name: 'empty', items: [] },
];

describe('textual list substitution (Falco semantics)', () => {
  test('inside parentheses, with offsets mapped back', () => {
    const r = substituteLists('proc.name in (shells, zsh)', lists);
    expect(r.text).toBe('proc.name in ( bash, sh , zsh)');
    // every inserted character maps to where the list name stood
    expect(r.origin(r.text.indexOf('sh ,'))).toBe(14);
    expect(r.origin(r.text.indexOf('zsh'))).toBe('proc.name in (shells, '.length);
    expect([...r.used]).toEqual(['shells']);
  });

  test('only delimited names are substituted', () => {
    expect(substituteLists('file_shells = x and shells.x = y', lists).text).toBe('file_shells = x and shells.x = y');
    expect(substituteLists('proc.name = shells', lists).text).toBe('proc.name = bash, sh ');
  });

  test('items with spaces are quoted unless already quoted', () => {
    expect(quoteItem('a b')).toBe('"a b"');
    expect(quoteItem('"quoted x"')).toBe('"quoted x"');
    expect(substituteLists('x in (spaced)', lists).text).toBe('x in ( "a b", "quoted x" )');
  });

  test('an empty list swallows one comma', () => {
    expect(substituteLists('x in (a, empty)', lists).text).toBe('x in (a  )');
    expect(substituteLists('x in (empty)', lists).text).toBe('x in (  )');
  });
});
