/** Options of `textTable`. */
export interface TableOptions {
  /**
   * Total width to fit (the terminal's columns). Columns listed in `keep` are never shortened; the
   * others share what is left and their cells wrap at word boundaries onto extra lines.
   * Undefined: no limit.
   */
  readonly width?: number;
  /** Indices of columns that are never wrapped or shortened (ids stay copyable). Default [0]. */
  readonly keep?: readonly number[];
}

const gap = 2;
const minimumWidth = 8;

/** Splits text into lines of at most `width` characters at spaces (a longer word is cut). */
export function wrapText(text: string, width: number): string[] {
  if (text.length <= width) return [text];
  const lines: string[] = [];
  let line = '';
  for (const whole of text.split(' ')) {
    let word = whole;
    while (word.length > width) {
      if (line) lines.push(line);
      lines.push(word.slice(0, width));
      line = '';
      word = word.slice(width);
    }
    if (!line) line = word;
    else if (line.length + 1 + word.length <= width) line += ` ${word}`;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line) lines.push(line);
  return lines;
}

/**
 * An aligned text table (no colors, so logs stay readable) that fits `width`: the kept columns (ids)
 * keep their full text; the others are narrowed, widest first, and wrap onto extra lines.
 */
export function textTable(headers: string[], rows: string[][], options: TableOptions = {}): string {
  const keep = new Set(options.keep ?? [0]);
  const cells = [headers, ...rows].map((row) =>
    headers.map((_, i) => (row[i] ?? '').replace(/\s+/g, ' ').trim()),
  );
  const natural = headers.map((_, i) => Math.max(...cells.map((row) => row[i].length)));
  const widths = [...natural];
  if (options.width !== undefined) {
    const total = () => widths.reduce((a, b) => a + b, 0) + gap * (widths.length - 1);
    // A column is never narrower than its longest word (words are not cut) nor than `minimumWidth`.
    const floor = natural.map((w, i) =>
      Math.min(
        w,
        Math.max(minimumWidth, ...cells.flatMap((row) => row[i].split(' ').map((word) => word.length))),
      ),
    );
    // Narrow the widest shrinkable column one character at a time until the table fits: first down
    // to the longest word of each column, then, if that is not enough, down to `minimumWidth`
    // (cutting long words).
    for (const limit of [floor, widths.map(() => minimumWidth)]) {
      while (total() > options.width) {
        let widest = -1;
        for (let i = 0; i < widths.length; i++)
          if (!keep.has(i) && widths[i] > limit[i] && (widest < 0 || widths[i] > widths[widest])) widest = i;
        if (widest < 0) break;
        widths[widest]--;
      }
    }
  }
  const lines: string[] = [];
  const emit = (row: string[]) => {
    const wrapped = row.map((cell, i) => (keep.has(i) ? [cell] : wrapText(cell, widths[i])));
    const height = Math.max(...wrapped.map((w) => w.length));
    for (let k = 0; k < height; k++)
      lines.push(
        wrapped
          .map((w, i) => (w[k] ?? '').padEnd(keep.has(i) ? natural[i] : widths[i]))
          .join(' '.repeat(gap))
          .trimEnd(),
      );
  };
  emit(cells[0]);
  lines.push(widths.map((w, i) => '-'.repeat(keep.has(i) ? natural[i] : w)).join(' '.repeat(gap)));
  for (const row of cells.slice(1)) emit(row);
  return lines.join('\n');
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

/**
 * JSON with the numbers JSON cannot hold written as strings ("Infinity", "-Infinity", "NaN") instead
 * of `null`, typed arrays as arrays, and bigint as strings.
 */
export function toJson(value: unknown, indent = 1): string {
  return JSON.stringify(
    value,
    (_key, v: unknown) => {
      if (typeof v === 'number' && !Number.isFinite(v)) return String(v);
      if (typeof v === 'bigint') return v.toString();
      if (ArrayBuffer.isView(v) && !(v instanceof DataView))
        return Array.from(v as unknown as ArrayLike<number>, (x) => (Number.isFinite(x) ? x : String(x)));
      return v;
    },
    indent,
  );
}
