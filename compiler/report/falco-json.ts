// The document `falco --validate <files> -o json_output=true` prints, so tools that read Falco's
// validation results read falcoc's. Falco's JSON library sorts keys, and its positions are
// 0-based (YAML marks); falcoc adds each diagnostic's 1-based `file`, `line` and `column`.
import { ERROR_CODES, WARNING_CODES, type Diagnostic, type ErrorCode, type WarningCode } from '../diagnostics.ts';
import type { FileResult } from '../compile.ts';
import { lineAt } from './source-lines.ts';

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

/** JSON with object keys sorted, as nlohmann::json prints them. */
export function sortedJson(v: unknown): string {
  const sort = (x: unknown): Json => {
    if (Array.isArray(x)) return x.map(sort);
    if (x && typeof x === 'object') {
      return Object.fromEntries(Object.keys(x).sort().map((k) => [k, sort((x as Record<string, unknown>)[k])]));
    }
    return x as Json;
  };
  return JSON.stringify(sort(v));
}

function snippet(d: Diagnostic, sources: ReadonlyMap<string, string>): string {
  const text = sources.get(d.file);
  if (text === undefined) return `<No context for file + ${d.file}>\n`;
  const src = lineAt(text, d.line);
  if (src === '') return '<No context available>\n';
  return `${src}\n${' '.repeat(Math.max(0, d.col - 1))}^\n`;
}

function entry(d: Diagnostic, sources: ReadonlyMap<string, string>) {
  // Falco's codedesc is the short name for errors and the long description for warnings.
  const codedesc = d.severity === 'error' ? ERROR_CODES[d.code as ErrorCode] : WARNING_CODES[d.code as WarningCode];
  return {
    code: d.code,
    codedesc,
    message: d.message,
    context: {
      locations: d.locations.map((l) => ({
        item_type: l.itemType,
        item_name: l.itemName,
        position: { name: l.name, line: l.line - 1, column: l.col - 1, offset: l.offset },
      })),
      snippet: snippet(d, sources),
    },
    file: d.file,
    line: d.line,
    column: d.col,
  };
}

export function formatFalcoJson(files: readonly FileResult[], sources: ReadonlyMap<string, string>, extra: readonly Diagnostic[] = []): string {
  const results = files.map((f, i) => ({
    name: f.name,
    successful: f.successful && (i < files.length - 1 || extra.length === 0),
    errors: [...f.errors, ...(i === files.length - 1 ? extra : [])].map((d) => entry(d, sources)),
    warnings: f.warnings.map((d) => entry(d, sources)),
  }));
  return sortedJson({ falco_load_results: results });
}
