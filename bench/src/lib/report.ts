import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { machineInfo } from './machine.js';

export type Cell = string | number;

export interface Table {
  title: string;
  columns: string[];
  rows: Cell[][];
  notes?: string[];
}

export interface SuiteResult {
  tool: string;
  tables: Table[];
  /** Raw figures, written to the JSON result. */
  data: Record<string, unknown>;
  /** Target checks: what, the figure, the target, met or not. */
  targets: { what: string; value: string; target: string; met: boolean | 'skipped' }[];
}

export function formatTable(table: Table): string {
  const text = table.rows.map((row) => row.map((cell) => (typeof cell === 'number' ? formatNumber(cell) : cell)));
  const widths = table.columns.map((column, i) => Math.max(column.length, ...text.map((row) => (row[i] ?? '').length)));
  const line = (cells: string[]) =>
    '| ' +
    cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join(' | ') +
    ' |';
  const out = [
    `### ${table.title}`,
    '',
    line(table.columns),
    '|' + widths.map((w, i) => (i === 0 ? ` ${'-'.repeat(w)} ` : ` ${'-'.repeat(w - 1)}: `)).join('|') + '|',
  ];
  for (const row of text) out.push(line(row));
  for (const note of table.notes ?? []) out.push('', note);
  return out.join('\n');
}

export function formatTargets(result: SuiteResult): string {
  return formatTable({
    title: `${result.tool}: targets`,
    columns: ['target', 'measured', 'wanted', 'met'],
    rows: result.targets.map((t) => [
      t.what,
      t.value,
      t.target,
      t.met === 'skipped' ? 'skipped' : t.met ? 'yes' : 'NO',
    ]),
  });
}

export function writeResult(root: string, result: SuiteResult): string {
  const dir = join(root, 'bench', 'results');
  mkdirSync(dir, { recursive: true });
  const stamp = new Date().toISOString().replace(/[:.]/g, '-');
  const file = join(dir, `${result.tool}-${stamp}.json`);
  const body = JSON.stringify({ ...result, machine: machineInfo(), at: new Date().toISOString() }, null, 2);
  writeFileSync(file, body + '\n');
  writeFileSync(join(dir, `${result.tool}-latest.json`), body + '\n');
  return file;
}

function formatNumber(value: number): string {
  if (!Number.isFinite(value)) return '—';
  if (Number.isInteger(value)) return value.toLocaleString('en-US');
  return value >= 100 ? Math.round(value).toLocaleString('en-US') : value >= 10 ? value.toFixed(1) : value.toFixed(2);
}
