// SARIF 2.1.0 for code-scanning UIs (GitHub code scanning and others).
import { ERROR_CODES, WARNING_CODES, type Diagnostic, type DiagnosticCode } from '../diagnostics.ts';
import { FALCOC_VERSION } from '../version.ts';

const descriptions: Record<string, string> = { ...ERROR_CODES, ...WARNING_CODES };

export function formatSarif(diags: readonly Diagnostic[], cwdRelative: (file: string) => string = (f) => f): string {
  const codes = [...new Set(diags.map((d) => d.code))].sort() as DiagnosticCode[];
  const run = {
    tool: {
      driver: {
        name: 'falcoc',
        version: FALCOC_VERSION,
        informationUri: 'https://falco.org/docs/rules/',
        rules: codes.map((id) => ({
          id,
          shortDescription: { text: descriptions[id] ?? id },
          defaultConfiguration: { level: id.startsWith('LOAD_ERR_') ? 'error' : 'warning' },
        })),
      },
    },
    results: diags.map((d) => ({
      ruleId: d.code,
      ruleIndex: codes.indexOf(d.code),
      level: d.severity,
      message: { text: d.hint ? `${d.message} (${d.hint})` : d.message },
      locations: [
        {
          physicalLocation: {
            artifactLocation: { uri: cwdRelative(d.file).split('\\').join('/') },
            region: { startLine: d.line, startColumn: d.col, ...(d.length ? { endColumn: d.col + d.length } : {}) },
          },
          ...(d.item?.name ? { logicalLocations: [{ name: d.item.name, kind: d.item.type }] } : {}),
        },
      ],
    })),
  };
  return JSON.stringify({ $schema: 'https://json.schemastore.org/sarif-2.1.0.json', version: '2.1.0', runs: [run] }, null, 2);
}
