// The syscalls `falcoc run` asks the driver for: those its rules can match plus those state
// keeping reads, nothing else (a syscall left out costs nothing at all).
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { alertingEngine } from '../../../runtime/engine/session-setup.ts';
import { syscallsForRules, syscallsOf } from '../../../runtime/live/capture-set.ts';
import { DRIVER_SYSCALLS } from '../../../runtime/live/native-driver.ts';
import { STATE_EVENT_NAMES } from '../../../runtime/state/event-parser.ts';
import { upstreamSyscallFiles } from '../../paths.ts';

const all = Object.keys(DRIVER_SYSCALLS);

async function setFor(rules: string[]): Promise<string[]> {
  const built = await alertingEngine({ capture: '', rules, log: () => {} });
  if (!built) throw new Error('rules did not load');
  return syscallsForRules((code) => built.engine.wants(code), all);
}

describe('live capture set', () => {
  it('is the rules’ syscalls and the state-keeping ones', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'falcoc-set-'));
    const file = join(dir, 'r.yaml');
    writeFileSync(file, '- rule: mkdir seen\n  desc: d\n  condition: evt.type = mkdirat\n  output: o %proc.name\n  priority: NOTICE\n');
    const set = await setFor([file]);
    expect(set).toContain('mkdirat');
    for (const s of ['openat', 'close', 'execve', 'clone', 'connect', 'dup2', 'fcntl', 'chdir', 'pipe2']) expect(set).toContain(s);
    // Syscalls neither the rule nor the state needs stay out.
    for (const s of ['mkdir', 'unlinkat', 'symlinkat', 'ptrace', 'chmod', 'finit_module', 'rename']) expect(set).not.toContain(s);
    expect(set).toContain('prlimit64'); // the prlimit event's syscall
    const state = syscallsOf((e) => STATE_EVENT_NAMES.has(e.name));
    expect(set.every((s) => state.has(s) || s === 'mkdirat')).toBe(true);
  });

  it('covers what the upstream rules match, like their manifest', async () => {
    const set = await setFor(upstreamSyscallFiles);
    for (const s of ['ptrace', 'symlinkat', 'unlinkat', 'renameat2', 'memfd_create', 'finit_module', 'setns']) expect(set).toContain(s);
  });

  it('is everything when a rule does not restrict event types', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'falcoc-set-'));
    const file = join(dir, 'r.yaml');
    writeFileSync(file, '- rule: any root\n  desc: d\n  condition: user.uid = 0\n  output: o\n  priority: NOTICE\n');
    expect(await setFor([file])).toEqual(all);
  });
});
