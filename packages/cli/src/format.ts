/** Pads and truncates cells into an aligned text table (no colors, so logs stay readable). */
export function textTable(headers: string[], rows: string[][], maxWidths: number[] = []): string {
  const clip = (text: string, width: number | undefined) =>
    width && text.length > width ? `${text.slice(0, width - 1)}…` : text;
  const cells = [headers, ...rows].map((row) =>
    row.map((cell, i) => clip(cell.replace(/\s+/g, ' '), maxWidths[i])),
  );
  const widths = headers.map((_, i) => Math.max(...cells.map((row) => (row[i] ?? '').length)));
  const line = (row: string[]) =>
    row
      .map((cell, i) => (cell ?? '').padEnd(widths[i]))
      .join('  ')
      .trimEnd();
  return [line(cells[0]), widths.map((w) => '-'.repeat(w)).join('  '), ...cells.slice(1).map(line)].join(
    '\n',
  );
}

/** A number for people: integers as is, else 4 significant digits or exponent form. */
export function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return String(value);
  if (Number.isInteger(value)) return String(value);
  const a = Math.abs(value);
  return a !== 0 && (a < 1e-3 || a >= 1e5) ? value.toExponential(3) : value.toPrecision(4);
}

export function formatCell(value: unknown): string {
  if (typeof value === 'number') return formatNumber(value);
  if (value === null || value === undefined) return '';
  return String(value);
}
