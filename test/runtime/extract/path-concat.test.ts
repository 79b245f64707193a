import { describe, expect, it } from 'vitest';
import { collapseSlashes, concatenatePaths, dropControlBytes } from '../../../runtime/extract/path-concat.ts';

describe("libsinsp's concatenate_paths", () => {
  it('joins a relative path to a /-terminated base and normalises it', () => {
    expect(concatenatePaths('/root/', 'a/../b')).toBe('/root/b');
    expect(concatenatePaths('/opt/oracle-act/scratch/history-_fixt7lu/', 'ash_history')).toBe('/opt/oracle-act/scratch/history-_fixt7lu/ash_history');
    expect(concatenatePaths('/tmp/', './x//y/')).toBe('/tmp/x/y');
    expect(concatenatePaths('/', '../../etc')).toBe('/etc');
  });
  it('takes absolute paths alone, normalised', () => {
    expect(concatenatePaths('/root/', '/etc/../etc/../etc/shadow')).toBe('/etc/shadow');
    expect(concatenatePaths('', '/tmp/dir1/dir2/../..///file.txt')).toBe('/tmp/file.txt');
    expect(concatenatePaths('', '/')).toBe('/');
    expect(concatenatePaths('/', 'a/')).toBe('/a');
    expect(concatenatePaths('/x/', '/a/b/')).toBe('/a/b');
  });
  it('copies the base verbatim (no separator is added) and keeps relative paths relative on an empty base', () => {
    expect(concatenatePaths('<UNKNOWN>', 'x')).toBe('<UNKNOWN>x');
    expect(concatenatePaths('', 'a/b')).toBe('a/b');
    expect(concatenatePaths('/root/', '')).toBe('');
  });
  it('shows control bytes as dots and keeps names starting with dots', () => {
    expect(concatenatePaths('/', 'a\nb')).toBe('/a.b');
    expect(concatenatePaths('/', '..foo/.bar')).toBe('/..foo/.bar');
  });
});

describe('small path helpers', () => {
  it('collapses // runs and drops control bytes', () => {
    expect(collapseSlashes('/etc//passwd///x')).toBe('/etc/passwd/x');
    expect(dropControlBytes('a\u0001b')).toBe('ab');
  });
});
