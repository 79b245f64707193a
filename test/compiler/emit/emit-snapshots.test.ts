// Snapshots of generated evaluators for small rulesets, so a change in the shape of emitted code
// is reviewed (`npx vitest run -u` after checking the diff). The prelude is left out (it has its
// own tests); what is pinned: event-type folding and grouping, per-event operand slots, memos of
// shared sub-expressions, Sets and inlined checks, and the reference predicates for the rest.
import { describe, expect, it } from 'vitest';
import { buildPlan } from '../../../compiler/plan/build-plan.ts';
import { emitEvaluator } from '../../../compiler/emit/emit-evaluator.ts';
import { PRELUDE } from '../../../compiler/emit/prelude.ts';
import { compileSources } from '../../runtime/engine/engine-pair.ts';

function emitted(yaml: string): string {
  const plan = buildPlan(compileSources([{ name: 'snapshot.yaml', text: yaml }]));
  const text = emitEvaluator(plan, { header: ['snapshot'] });
  expect(text).toContain(PRELUDE);
  return text.replace(PRELUDE, '// (prelude)\n');
}

const rule = (name: string, condition: string, extra = '') =>
  `- rule: ${name}\n  desc: ${name}\n  condition: ${condition}\n  output: "${name} %proc.name"\n  priority: WARNING\n${extra}`;

describe('emitted evaluators', () => {
  it('fold event-type checks per event code and group codes with the same cases', () => {
    const text = emitted(
      [
        rule('open or exec', 'evt.type in (open, openat, execve) and (evt.type = execve or fd.name startswith /etc) and evt.dir = <'),
        rule('not on openat', 'evt.type in (open, openat) and not evt.type = openat and proc.name = cat'),
        rule('connect only', 'evt.type = connect and syscall.type = connect and fd.sport = 443'),
      ].join('\n'),
    );
    // execve: the first rule folds to true; openat: the second rule drops out.
    expect(text).not.toMatch(/x\d+ = rt\.operand\("evt\.(type|dir)"\)/);
    expect(text).toMatchSnapshot();
  });

  it('memoise sub-expressions several rules share, once per event', () => {
    const text = emitted(
      [
        '- macro: suspicious\n  condition: (proc.cmdline icontains "base64 -d" or proc.cmdline regex "curl .*\\\\| *sh")\n',
        rule('A', 'evt.type = execve and suspicious and user.name = root'),
        rule('B', 'evt.type = execve and suspicious and not user.name = root'),
        rule('C', 'evt.type = execve and proc.pname glob "*sh" and proc.cmdline icontains "base64 -d"'),
      ].join('\n'),
    );
    expect(text).toMatch(/let m0 = 0;/);
    expect(text).toMatchSnapshot();
  });

  it('inline strings, sets, integers, booleans and exists; call predicates for the rest', () => {
    const text = emitted(
      [
        '- list: shells\n  items: [bash, sh, \'"z\\"sh"\', "\\u00e9sh"]\n',
        rule('inline', 'evt.type = openat and proc.name in (shells) and fd.name != /dev/null and fd.num >= 3 and evt.failed = false and proc.pid in (1, 2) and proc.env[HOME] exists'),
        rule('reference', 'evt.type = openat and (proc.aname in (shells) or fd.name pmatch (/etc, /usr) or fd.ip = 127.0.0.1 or proc.name contains oneof (ba, z) or tolower(proc.name) = sh)'),
      ].join('\n'),
    );
    expect(text).toMatch(/const S\d+ = new Set<unknown>\(\["bash", "sh", "z\\x22sh", "\\xc3\\xa9sh"\]\);/);
    expect(text).toMatchSnapshot();
  });

  it('give each plugin source one evaluator over its rules in load order, in a factory, evt.source folded', () => {
    const plugin = (name: string, source: string, condition: string) =>
      `- rule: ${name}\n  desc: ${name}\n  condition: ${condition}\n  output: "${name} %evt.source"\n  priority: WARNING\n  source: ${source}\n`;
    const text = emitted(
      [
        rule('syscall one', 'evt.type = execve and proc.name = sh'),
        plugin('exec', 'k8s_audit', 'evt.source = k8s_audit and ka.verb = create and ka.target.subresource in (exec, attach)'),
        plugin('wrong source', 'k8s_audit', 'evt.source = okta and ka.verb = get'),
        plugin('lockout', 'okta', 'okta.evt.type = user.account.lock and not evt.num = 0'),
        plugin('secret', 'k8s_audit', 'ka.verb = create and ka.target.resource = secrets'),
      ].join('\n'),
    );
    expect(text).toMatch(/const x\d+ = rt\.operand\("ka\.verb", true, "k8s_audit"\);/);
    expect(text).toContain('sources: new Map([["k8s_audit", src0], ["okta", src1]]),');
    expect(text).not.toContain('rule = 2;'); // folded away: evt.source is never okta on k8s_audit events
    expect(text).toMatchSnapshot();
  });

  it('walk a prefix index once per event for many prefixes of one operand; guard path sets by length', () => {
    const text = emitted(
      [
        rule('dev', 'evt.type = openat and (fd.name startswith /dev/sd or fd.name startswith /dev/nvme or fd.name = /dev/mem)'),
        rule('etc', 'evt.type = openat and fd.name startswith /etc/ and not fd.name startswith /etc/ssl and not fd.name glob "/etc/pki/*.pem"'),
        rule('set', 'evt.type = openat and fd.name in (/etc/shadow, /etc/sudoers, /root/.ssh/authorized_keys)'),
        rule('few', 'evt.type = openat and (proc.cmdline startswith "sh -c" or proc.cmdline startswith "bash -c")'),
      ].join('\n'),
    );
    // fd.name: five literals (the glob's head among them) in one index; proc.cmdline: two startsWith.
    expect(text).toMatch(/const T\d+ = new PrefixIndex\(\["\/dev\/nvme", "\/dev\/sd", "\/etc\/", "\/etc\/pki\/", "\/etc\/ssl"\]\);/);
    expect(text).toMatch(/swS\(\(r\d+ \? v\d+ : \(\(r\d+ = true\), \(v\d+ = x\d+\(ctx\)\)\)\), "bash -c"\)/);
    expect(text).toMatch(/hasL\(.*, S\d+, L\d+\)/);
    expect(text).toMatchSnapshot();
  });
});
