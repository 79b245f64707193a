// Falco parity: replaying the oracle capture with the upstream rules must give exactly the
// alerts Falco 0.44.1 raised (count, order, time, rule, priority, output, output_fields, tags).
import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { sharedDir, upstreamSyscallFiles } from '../../paths.ts';
import { replaySession } from '../../../runtime/engine/replay-session.ts';
import { explainDifferences, parseLine } from './oracle-diff.ts';

process.env.TZ = 'UTC'; // the oracle's text time prefix was written in UTC
process.env.FALCO_HOSTNAME = 'vm'; // and on a machine called vm

const oracle = join(sharedDir, 'oracle');

async function replayLines(overrides: string[]): Promise<string[]> {
  let text = '';
  const r = await replaySession({
    capture: join(oracle, 'mixed.scap.gz'),
    rules: upstreamSyscallFiles,
    overrides: ['json_output=true', 'json_include_output_property=true', 'json_include_tags_property=true', ...overrides],
    write: (s) => void (text += s),
    log: () => {},
  });
  expect(r.exitCode).toBe(0);
  return text.split('\n').filter((l) => l !== '');
}

function expectSame(expectedFile: string, actual: string[]): void {
  const expected = readFileSync(join(oracle, expectedFile), 'utf8').split('\n').filter((l) => l !== '');
  const diff = explainDifferences(expected.map(parseLine), actual.map(parseLine));
  expect(diff, diff).toBe('');
  expect(actual).toEqual(expected);
}

describe('Falco parity on the oracle captures', () => {
  it('mixed.scap.gz, rule_matching=first (131 alerts)', async () => {
    expectSame('mixed.falco-alerts.jsonl', await replayLines([]));
  });

  it('mixed.scap.gz, rule_matching=all (147 alerts)', async () => {
    expectSame('mixed.falco-alerts-all.jsonl', await replayLines(['rule_matching=all']));
  });
});
