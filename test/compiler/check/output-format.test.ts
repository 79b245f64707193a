import { describe, expect, test } from 'vitest';
import { compileOutput, OutputFormatError } from '../../../compiler/check/output-format.ts';
import { catalogFor } from '../../../runtime/fields/catalog.ts';

const catalog = catalogFor('syscall')!;
const fields = (f: string) => compileOutput(f, catalog).fields;

describe('output formats', () => {
  test('field tokens, arguments and transformers', () => {
    expect(fields('user=%user.name cmd=%proc.cmdline a2=%proc.aname[2] low=%tolower(proc.name)')).toEqual([
      'user.name', 'proc.cmdline', 'proc.aname[2]', 'tolower(proc.name)',
    ]);
    expect(fields('%container.mount.dest[/var/run/docker.sock] %evt.arg.flags')).toEqual(['container.mount.dest[/var/run/docker.sock]', 'evt.arg.flags']);
  });

  test('the token is the longest prefix that compiles', () => {
    const out = compileOutput('(%proc.name) %fd.name. %proc.name_x', catalog);
    expect(out.tokens.map((t) => (t.kind === 'text' ? t.text : `{${t.key}}`)).join('')).toBe('({proc.name}) {fd.name}. {proc.name}_x');
  });

  test('width and leading star', () => {
    const out = compileOutput('*%20proc.name', catalog);
    expect(out.tokens).toMatchObject([{ kind: 'field', key: 'proc.name', width: 20 }]);
  });

  test('errors', () => {
    const err = (f: string) => {
      try {
        compileOutput(f, catalog);
      } catch (e) {
        return (e as OutputFormatError).message;
      }
      return 'accepted';
    };
    expect(err('trailing %')).toBe('invalid formatting syntax: formatting cannot end with a %');
    expect(err('bad %not_a_real_field')).toMatch(/^unknown filter: /);
    expect(err('ip %fd.ip')).toMatch(/^unknown filter: /);
    expect(err('%' + 'a'.repeat(100_000))).toMatch(/^unknown filter: /);
  });
});
