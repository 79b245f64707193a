// Human-readable lint output: `file:line:col: severity CODE: message`, the offending line with
// the problem underlined, and a hint where one is known.
import type { Diagnostic } from '../diagnostics.ts';
import { lineAt, underline } from './source-lines.ts';

export function formatDiagnosticText(d: Diagnostic, sources: ReadonlyMap<string, string>): string {
  const lines = [`${d.file}:${d.line}:${d.col}: ${d.severity} ${d.code}: ${d.message}`];
  const text = sources.get(d.file);
  if (text !== undefined && !(d.line === 1 && d.col === 1 && d.offset === 0 && d.code === 'LOAD_ERR_FILE_READ')) {
    const src = lineAt(text, d.line);
    if (src.trim() !== '') {
      const gutter = String(d.line).padStart(5);
      lines.push(`${gutter} | ${src}`, `${' '.repeat(gutter.length)} | ${underline(src, d.col, d.length ?? 1)}`);
    }
  }
  if (d.item && d.item.type !== 'rules content' && d.item.name) lines.push(`      in ${d.item.type} '${d.item.name}'`);
  if (d.hint) lines.push(`      hint: ${d.hint}`);
  return lines.join('\n');
}

export function formatLintText(diags: readonly Diagnostic[], sources: ReadonlyMap<string, string>): string {
  return diags.map((d) => formatDiagnosticText(d, sources)).join('\n\n') + (diags.length ? '\n' : '');
}

export function lintSummary(errors: number, warnings: number, files: number): string {
  const plural = (n: number, w: string) => `${n} ${w}${n === 1 ? '' : 's'}`;
  return `${plural(errors, 'error')}, ${plural(warnings, 'warning')} in ${plural(files, 'file')}`;
}
