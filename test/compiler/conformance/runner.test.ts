// Every case of the conformance corpus (read at test time from $FALCOC_CONFORMANCE_DIR or
// ../shared/conformance) runs through the compiler; one vitest test per case.
import { afterAll, describe, expect, test } from 'vitest';
import { existsSync } from 'node:fs';
import { runConformance, fileLine, totalLine, caseFiles } from '../../../compiler/conformance/runner.ts';
import { conformanceDir } from '../../paths.ts';

describe('conformance corpus', () => {
  test('the corpus is present and has every kind of case file', () => {
    expect(existsSync(conformanceDir), `no conformance folder at ${conformanceDir}`).toBe(true);
    expect(caseFiles(conformanceDir)).toEqual(
      expect.arrayContaining(['conditions.yaml', 'evttypes.yaml', 'literals.yaml', 'operators.yaml', 'rule-loader.yaml', 'rule-selection.yaml']),
    );
  });
});

const reports = existsSync(conformanceDir) ? runConformance(conformanceDir) : [];

for (const report of reports) {
  describe(report.file, () => {
    for (const r of report.results) {
      if (r.outcome.status === 'skip') {
        test.skip(`${r.id} (${r.outcome.reason})`, () => {});
        continue;
      }
      const outcome = r.outcome;
      test(r.id, () => {
        expect(outcome.status === 'fail' ? outcome.reason : 'pass').toBe('pass');
      });
    }
  });
}

afterAll(() => {
  const lines = reports.map(fileLine);
  for (const r of reports) for (const reason of r.skipReasons) lines.push(`  ${r.file} skipped: ${reason}`);
  lines.push(totalLine(reports));
  process.stdout.write(lines.join('\n') + '\n');
});
