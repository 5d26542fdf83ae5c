/**
 * CSV cells as RFC 4180 wants them, made safe to open in a spreadsheet.
 *
 * OWASP's CSV injection guidance: a text cell that begins with =, +, -, @, a
 * tab or a carriage return may be read as a formula (`=HYPERLINK(...)`,
 * `-2+3+cmd|' /C calc'!A0`). Such a cell gets a leading single quote and is
 * quoted. Numbers are passed as numbers and left alone, so amounts such as -12.50
 * stay numeric; pass every amount as a `CsvNumber`, never as text.
 */
export type CsvNumber = { readonly csvNumber: string };
export type CsvValue = string | number | bigint | CsvNumber;

/** A number already formatted for output (a decimal amount such as "-12.50"). */
export function csvNumber(formatted: string): CsvNumber {
  if (!/^-?\d+(?:\.\d+)?$/.test(formatted)) throw new TypeError(`not a decimal number: ${formatted}`);
  return { csvNumber: formatted };
}

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

export function csvCell(value: CsvValue): string {
  if (typeof value === 'number' || typeof value === 'bigint') return String(value);
  if (typeof value === 'object') return value.csvNumber;
  if (FORMULA_START.test(value)) return `"'${value.replaceAll('"', '""')}"`;
  return NEEDS_QUOTES.test(value) ? `"${value.replaceAll('"', '""')}"` : value;
}

/** One CSV record, without its line end (RFC 4180 uses CRLF between records). */
export function csvRow(cells: readonly CsvValue[]): string {
  return cells.map(csvCell).join(',');
}
