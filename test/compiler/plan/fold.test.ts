// Per-code specialisation: which checks become constants, and that nothing else does.
import { describe, expect, it } from 'vitest';
import { specialise } from '../../../compiler/plan/fold.ts';
import { compileSources } from '../../runtime/engine/engine-pair.ts';
import { EVENTS } from '../../../runtime/events/event-table.ts';

const OPENAT_X = EVENTS.findIndex((e) => e.enum === 'PPME_SYSCALL_OPENAT_2_X');
const EXECVE_X = EVENTS.findIndex((e) => e.enum === 'PPME_SYSCALL_EXECVE_19_X');

function folded(condition: string, code: number) {
  const ruleset = compileSources([{ name: 'f.yaml', text: `- rule: r\n  desc: d\n  condition: ${condition}\n  output: o\n  priority: WARNING\n` }]);
  return specialise(ruleset.rules[0]!.typed, code);
}

describe('specialising a condition for one event code', () => {
  it('folds evt.type, evt.dir and syscall.type by the code', () => {
    expect(folded('evt.type = openat and evt.dir = <', OPENAT_X)).toMatchObject({ kind: 'const', value: true });
    expect(folded('evt.type = openat and proc.name = x', EXECVE_X)).toMatchObject({ kind: 'const', value: false });
    expect(folded('syscall.type in (execve, openat) and proc.name = x', OPENAT_X)).toMatchObject({ kind: 'check' });
  });

  it('folds evt.num = 0 (never_true) to false and evt.num != 0 to true, nothing else about evt.num', () => {
    expect(folded('evt.type = openat and evt.num = 0', OPENAT_X)).toMatchObject({ kind: 'const', value: false });
    expect(folded('evt.type = openat and not evt.num = 0 and proc.name = x', OPENAT_X)).toMatchObject({ kind: 'check' });
    expect(folded('evt.type = openat and evt.num != 0', OPENAT_X)).toMatchObject({ kind: 'const', value: true });
    for (const c of ['evt.num = 1', 'evt.num > 0', 'evt.num in (0, 1)', 'evt.num < 0']) {
      expect(folded(`evt.type = openat and ${c}`, OPENAT_X), c).toMatchObject({ kind: 'check' });
    }
  });
});
