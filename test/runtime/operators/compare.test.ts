import { describe, expect, test } from 'vitest';
import { compileCheck } from '../../../runtime/operators/compare.ts';
import type { Constant } from '../../../runtime/operators/values.ts';

const s = (value: string): Constant => ({ kind: 'bytes', value });
const ip = (a: number[]): Constant => ({ kind: 'ip', family: 4, addr: Uint8Array.from(a) });
const addr = (a: number[]) => ({ family: 4 as const, addr: Uint8Array.from(a) });

describe('operator semantics', () => {
  test('a missing value makes every operator false, even !=', () => {
    for (const op of ['=', '!=', 'contains', 'in', 'startswith']) {
      expect(compileCheck({ op, type: 'CHARBUF', isList: false, values: [s('x')] })(undefined)).toBe(false);
    }
    expect(compileCheck({ op: 'exists', type: 'CHARBUF', isList: false })(undefined)).toBe(false);
    expect(compileCheck({ op: 'exists', type: 'CHARBUF', isList: false })('')).toBe(true);
  });

  test('C-string semantics for CHARBUF, exact bytes for BYTEBUF', () => {
    expect(compileCheck({ op: '=', type: 'CHARBUF', isList: false, values: [s('ab')] })('ab\0cd')).toBe(true);
    expect(compileCheck({ op: '=', type: 'BYTEBUF', isList: false, values: [s('ab')] })('ab\0cd')).toBe(false);
  });

  test('list fields: in needs every value, intersects any', () => {
    const inSet = compileCheck({ op: 'in', type: 'CHARBUF', isList: true, values: [s('file'), s('ipv4')] });
    const meets = compileCheck({ op: 'intersects', type: 'CHARBUF', isList: true, values: [s('file')] });
    expect(inSet(['file', 'ipv4'])).toBe(true);
    expect(inSet(['file', 'pipe'])).toBe(false);
    expect(inSet([])).toBe(true);
    expect(meets(['pipe', 'file'])).toBe(true);
    expect(meets([])).toBe(false);
  });

  test('modifiers', () => {
    const any = compileCheck({ op: 'startswith', modifier: 'anyof', type: 'CHARBUF', isList: false, values: [s('/etc/'), s('/tmp/')] });
    const one = compileCheck({ op: 'contains', modifier: 'oneof', type: 'CHARBUF', isList: false, values: [s('a'), s('b')] });
    expect(any('/tmp/x')).toBe(true);
    expect(any('/var/x')).toBe(false);
    expect(one('xa')).toBe(true);
    expect(one('ab')).toBe(false);
    expect(compileCheck({ op: '=', modifier: 'allof', type: 'CHARBUF', isList: false, values: [] })('x')).toBe(false);
  });

  test('both endpoints of fd.ip: = either side, != both sides', () => {
    const eq = compileCheck({ op: '=', type: 'IPADDR', isList: false, values: [ip([10, 0, 0, 1])], bothEndpoints: true });
    const ne = compileCheck({ op: '!=', type: 'IPADDR', isList: false, values: [ip([10, 0, 0, 1])], bothEndpoints: true });
    const conn = [addr([10, 0, 0, 1]), addr([10, 0, 0, 2])];
    expect(eq(conn)).toBe(true);
    expect(ne(conn)).toBe(false);
    expect(ne([addr([1, 1, 1, 1]), addr([2, 2, 2, 2])])).toBe(true);
  });

  test('networks, numbers and field-to-field comparison', () => {
    const net = compileCheck({ op: 'in', type: 'IPNET', isList: false, values: [{ kind: 'net', family: 4, addr: Uint8Array.from([10, 0, 0, 0]), prefix: 8 }] });
    expect(net(addr([10, 9, 8, 7]))).toBe(true);
    expect(net(addr([11, 0, 0, 1]))).toBe(false);
    expect(compileCheck({ op: '<', type: 'INT64', isList: false, values: [{ kind: 'int', value: 0n }] })(-1n)).toBe(true);
    const same = compileCheck({ op: '=', type: 'CHARBUF', isList: false });
    expect(same('bash', 'bash')).toBe(true);
    expect(same('bash', undefined)).toBe(false);
  });

  test('regex is linear time and anchored', () => {
    const re = compileCheck({ op: 'regex', type: 'CHARBUF', isList: false, values: [s('(a*)*b')] });
    expect(re('a'.repeat(50_000))).toBe(false);
    expect(compileCheck({ op: 'regex', type: 'CHARBUF', isList: false, values: [s('bash')] })('/bin/bash')).toBe(false);
  });
});
