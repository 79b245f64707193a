// The source line of a diagnostic and an underline for it.

export function lineAt(text: string, line: number): string {
  let start = 0;
  for (let l = 1; l < line; l++) {
    const nl = text.indexOf('\n', start);
    if (nl < 0) return '';
    start = nl + 1;
  }
  const end = text.indexOf('\n', start);
  return text.slice(start, end < 0 ? text.length : end).replace(/\r$/, '');
}

/** `^~~~` under columns col … col+length-1 (1-based), clipped to the line. */
export function underline(lineText: string, col: number, length = 1): string {
  const pad = lineText.slice(0, col - 1).replace(/[^\t]/g, ' ');
  const width = Math.max(1, Math.min(length, lineText.length - col + 1));
  return pad + '^' + '~'.repeat(width - 1);
}
