import { describe, expect, it } from 'vitest';
import { PathPrefixSet } from '../../../runtime/operators/pmatch.ts';
import { operatorCases } from './conformance.ts';

const pmatch = (paths: readonly string[], path: string): boolean => new PathPrefixSet(paths).matches(path);

describe('conformance corpus (operators.yaml)', () => {
  const cases = operatorCases(['pmatch']);

  it('has cases to run', () => {
    expect(cases.length).toBeGreaterThan(10);
  });

  it.each(cases.map((c) => [c.id, c] as const))('%s', (_id, c) => {
    // pmatch takes the whole list as one set
    expect(pmatch(typeof c.rhs === 'string' ? [c.rhs] : c.rhs, c.lhs)).toBe(c.expect);
  });
});

describe('PathPrefixSet', () => {
  it('matches whole components only', () => {
    const set = new PathPrefixSet(['/var/run']);
    expect(set.matches('/var/run')).toBe(true);
    expect(set.matches('/var/run/docker.sock')).toBe(true);
    expect(set.matches('/var/running')).toBe(false);
    expect(set.matches('/var')).toBe(false);
    expect(set.matches('/')).toBe(false);
    expect(set.matches('')).toBe(false);
    expect(set.matches('/var/lib')).toBe(false);
  });

  it('ignores leading, trailing and repeated slashes on both sides', () => {
    for (const p of ['a/b', '/a/b', '/a//b/', '//a/b//']) {
      const set = new PathPrefixSet([p]);
      expect(set.matches('/a/b/c'), p).toBe(true);
      expect(set.matches('a//b'), p).toBe(true);
      expect(set.matches('/a/bc'), p).toBe(false);
    }
  });

  it('lets / (or an empty path) match every path', () => {
    for (const root of ['/', '', '///']) {
      const set = new PathPrefixSet([root]);
      expect(set.matches('/etc/passwd')).toBe(true);
      expect(set.matches('/')).toBe(true);
      expect(set.matches('')).toBe(true);
    }
  });

  it('matches nothing when empty', () => {
    expect(pmatch([], '/etc')).toBe(false);
  });

  it('tries every path of the set', () => {
    const set = new PathPrefixSet(['/etc', '/usr/lib', '/var/run']);
    expect(set.matches('/etc/shadow')).toBe(true);
    expect(set.matches('/usr/lib/x.so')).toBe(true);
    expect(set.matches('/usr/bin/ls')).toBe(false);
    expect(set.matches('/var/run/x')).toBe(true);
  });

  it('keeps the shorter of two nested paths, in either order', () => {
    expect(pmatch(['/usr', '/usr/lib'], '/usr/bin/ls')).toBe(true);
    expect(pmatch(['/usr/lib', '/usr'], '/usr/bin/ls')).toBe(true);
    expect(pmatch(['/usr/lib', '/usr/lib/x'], '/usr/lib/y')).toBe(true);
  });

  it('treats components with *, ? or [ as globs for that component', () => {
    const set = new PathPrefixSet(['/home/*/.ssh']);
    expect(set.matches('/home/bob/.ssh/id_rsa')).toBe(true);
    expect(set.matches('/home/bob/.ssh')).toBe(true);
    expect(set.matches('/home/.ssh')).toBe(false);
    // * does not cross a /
    expect(set.matches('/home/a/b/.ssh')).toBe(false);
    expect(pmatch(['/tmp/[ab]?'], '/tmp/ax/file')).toBe(true);
    expect(pmatch(['/tmp/[ab]?'], '/tmp/cx/file')).toBe(false);
    expect(pmatch(['/proc*'], '/proc/1/environ')).toBe(true);
    expect(pmatch(['/proc*'], '/procfs')).toBe(true);
  });

  it('matches glob components case-sensitively', () => {
    expect(pmatch(['/home/*/.SSH'], '/home/bob/.ssh')).toBe(false);
  });

  it('falls back to glob components when the exact one leads nowhere', () => {
    const set = new PathPrefixSet(['/a/b/c', '/a/*/d']);
    expect(set.matches('/a/b/d/e')).toBe(true);
    expect(set.matches('/a/b/c')).toBe(true);
    expect(set.matches('/a/x/d')).toBe(true);
    expect(set.matches('/a/b/e')).toBe(false);
  });

  it('tries every glob at a level', () => {
    const set = new PathPrefixSet(['/srv/a*/x', '/srv/*b/y']);
    expect(set.matches('/srv/ab/y')).toBe(true);
    expect(set.matches('/srv/ab/x')).toBe(true);
    expect(set.matches('/srv/ab/z')).toBe(false);
  });

  it('compares bytes', () => {
    expect(pmatch(['/tmp/caf\xC3\xA9'], '/tmp/caf\xC3\xA9/x')).toBe(true);
    expect(pmatch(['/tmp/caf?'], '/tmp/caf\xC3\xA9')).toBe(false);
    expect(pmatch(['/tmp/caf??'], '/tmp/caf\xC3\xA9')).toBe(true);
  });

  it('drops trailing NULs of the value', () => {
    expect(pmatch(['/var/run'], '/var/run\0')).toBe(true);
    expect(pmatch(['/var/run'], '/var/run/x\0\0')).toBe(true);
    expect(pmatch(['/var/run'], '/var/ru\0')).toBe(false);
  });

  it('stays fast with many paths and deep values', () => {
    const paths = Array.from({ length: 2_000 }, (_, i) => `/data/*/d${i}/*/leaf`);
    const set = new PathPrefixSet(paths);
    const deep = '/data/x/d1999/y/leaf' + '/z'.repeat(5_000);
    expect(set.matches(deep)).toBe(true);
    expect(set.matches('/data/x/d2000/y/leaf')).toBe(false);
  });
});
