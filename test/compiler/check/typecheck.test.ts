import { describe, expect, test } from 'vitest';
import { parseCondition } from '../../../compiler/parse/parse.ts';
import { typecheck, CheckError } from '../../../compiler/check/typecheck.ts';
import { catalogFor } from '../../../runtime/fields/catalog.ts';

const syscall = catalogFor('syscall')!;
const check = (cond: string, source = 'syscall') => typecheck(parseCondition(cond), { catalog: catalogFor(source)! });
const failure = (cond: string, source = 'syscall') => {
  try {
    check(cond, source);
  } catch (e) {
    if (e instanceof CheckError) return e.message;
    throw e;
  }
  throw new Error(`accepted: ${cond}`);
};

describe('type checking against the field catalog', () => {
  test('fields, arguments and dot-suffix arguments', () => {
    expect(failure('proc.nobody = x')).toBe('filter_check called with nonexistent field proc.nobody');
    expect(failure('proc.name[1] = x')).toBe('filter_check called with nonexistent field proc.name[1]');
    expect(failure('container.mount.dest = x')).toBe('filter_check called with nonexistent field container.mount.dest');
    expect(failure('evt.arg.nosuchparam = x')).toBe('unknown event argument nosuchparam');
    expect(failure('proc.aname[x] = bash')).toBe('x is not a valid number');
    const t = check('evt.rawarg.res < 0').typed;
    expect(t.kind === 'check' && t.left.type).toBe('ERRNO');
    expect(t.kind === 'check' && t.left.kind === 'field' && t.left.arg).toBe('res');
  });

  test('operators against types, with libsinsp messages', () => {
    expect(failure('proc.pid contains 1')).toBe("filter error: 'contains' operator not supported for numeric filters");
    expect(failure('fd.name bcontains 41')).toBe("filter error: 'bcontains' operator not supported for string filters");
    expect(failure('fd.types = file')).toBe("filter error: '=' operator not supported list filters");
    expect(failure('fd.ip contains anyof (1.2.3.4)')).toBe("filter error: 'contains anyof' with modifier not supported for ip address and network filters");
  });

  test('constants are parsed for the field type', () => {
    expect(failure('proc.pid > 0x10')).toBe('0x10 is not a valid number');
    expect(failure('evt.is_io = yes')).toBe('filter error: unrecognized boolean value yes');
    expect(failure('fd.sip = 300.1.1.1')).toBe('unrecognized IPv4 address 300.1.1.1');
    expect(failure('fd.net = 10.0.0.0/33')).toBe('invalid netmask 33');
    expect(failure('fd.sport = nosuchservice')).toBe('unrecognized protocol nosuchservice');
    expect(failure('evt.type = opne')).toBe('unknown event type opne');
    expect(failure('proc.name regex "(a"')).toMatch(/^invalid regex pattern: missing \)/);
    expect(failure('evt.buffer bcontains 4')).toBe('filter error: bcontains and bstartswith operator support hex strings only');
    const t = check('fd.sport = http and fd.net = 10.0.0.0/8').typed;
    expect(t.kind === 'and' && t.children[0]!.kind === 'check' && t.children[0]!.values).toEqual([{ kind: 'int', value: 80n }]);
  });

  test('transformers and val()', () => {
    expect(failure('tolower(proc.pid) = 1')).toMatch(/^filter error: can't add field transformer: type 'INT64' is not supported by 'tolower'/);
    expect(failure('toupper(proc.aname) = X')).toBe("filter error: field 'proc.aname' does not support transformers");
    expect(failure('proc.name = val(proc.pid)')).toMatch(/has type 'CHARBUF' while the right-hand side field 'proc.pid' has incompatible type 'INT64'/);
    expect(failure('proc.name regex val(proc.pname)')).toBe("filter error: operator 'REGEX' doesn't support right-hand side fields");
    expect(failure('join("a", "b") = x')).toBe('join() second argument must be a list');
    expect(check('len(proc.name) > 3').typed).toMatchObject({ op: '>', left: { kind: 'transformer', type: 'UINT64' } });
  });

  test('compile warnings', () => {
    expect(check('proc.name = proc.pname').warnings.map((w) => w.message)).toEqual(["'proc.pname' may be a valid field misused as a const string value"]);
    expect(check('proc.name regex ^bash$').warnings.map((w) => w.message)[0]).toMatch(/^regex check with '\^bash\$' may be optimized/);
    expect(check('proc.name regex "b.*h"').warnings).toEqual([]);
  });

  test('plugin sources have their own catalogs', () => {
    expect(check('ka.verb = create and ka.user.groups intersects (system:masters)', 'k8s_audit').warnings).toEqual([]);
    expect(failure('proc.name = x', 'k8s_audit')).toBe('filter_check called with nonexistent field proc.name');
    expect(syscall.get('ka.verb')).toBeUndefined();
  });
});
