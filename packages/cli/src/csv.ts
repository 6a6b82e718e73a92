/** CSV rows with the 1-based line on which each row starts. */
export interface CsvTable {
  readonly rows: string[][];
  readonly lines: number[];
}

/**
 * Parses RFC 4180 CSV text (quoted fields, doubled quotes, CRLF or LF) into rows of cells,
 * with the line each row starts on (a quoted cell may span lines). Blank lines are skipped.
 */
export function parseCsvTable(text: string): CsvTable {
  const rows: string[][] = [];
  const lines: number[] = [];
  let row: string[] = [];
  let cell = '';
  let quoted = false;
  let line = 1;
  let rowLine = 1;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        cell += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else {
        if (ch === '\n') line++;
        cell += ch;
      }
    } else if (ch === '"' && cell === '') quoted = true;
    else if (ch === ',') {
      row.push(cell);
      cell = '';
    } else if (ch === '\n' || ch === '\r') {
      if (ch === '\r' && text[i + 1] === '\n') i++;
      row.push(cell);
      rows.push(row);
      lines.push(rowLine);
      line++;
      rowLine = line;
      row = [];
      cell = '';
    } else cell += ch;
  }
  if (cell !== '' || row.length > 0) {
    row.push(cell);
    rows.push(row);
    lines.push(rowLine);
  }
  const keep = rows.map((r) => !(r.length === 1 && r[0] === ''));
  return { rows: rows.filter((_, i) => keep[i]), lines: lines.filter((_, i) => keep[i]) };
}

/** Parses RFC 4180 CSV text (quoted fields, doubled quotes, CRLF or LF) into rows of cells. */
export function parseCsv(text: string): string[][] {
  return parseCsvTable(text).rows;
}
