import { stringify } from 'csv-stringify/sync';

export type CsvCell = string | number | null | undefined;

/**
 * The one way the service writes CSV: UTF-8 with a byte-order mark, so a spreadsheet shows Cyrillic
 * as written, and every text cell that a spreadsheet would run as a formula (starting with =, +, -,
 * @, a tab or a carriage return, or their full-width forms) prefixed with a single quote (OWASP).
 * Numbers are written as numbers, negative ones included.
 */
export function toCsv(columns: readonly string[], rows: readonly CsvCell[][]): string {
  return `\uFEFF${stringify(rows as CsvCell[][], { header: true, columns: [...columns], escape_formulas: true })}`;
}
