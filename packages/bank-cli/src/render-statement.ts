import type { StatementView } from './domain/views.js';
import { renderTable } from './render.js';

/** A statement as text for a terminal or a CSV file (RFC 4180 quoting, CRLF line ends). */
export function renderStatementText(s: StatementView): string {
  const rows = s.entries.map((e) => [
    e.date.replace('T', ' ').slice(0, 19),
    String(e.id),
    e.type,
    e.counterparty ? `${e.counterparty} (${e.counterpartyOwner ?? '?'})` : '',
    e.note ?? '',
    e.amount.startsWith('-') ? e.amount : `+${e.amount}`,
    e.balance,
  ]);
  const table =
    rows.length === 0
      ? 'No transactions in this period.'
      : renderTable(['DATE (UTC)', 'ID', 'TYPE', 'COUNTERPARTY', 'NOTE', 'AMOUNT', 'BALANCE'], rows, [1, 5, 6]);
  return [
    `Statement of account ${s.account} (${s.type}, "${s.name}")`,
    `Owner: ${s.owner ?? ''}`,
    `Period: ${s.period.from} to ${s.period.to} (UTC)`,
    `Currency: ${s.currency}`,
    '',
    `Opening balance: ${s.opening}`,
    table,
    '',
    `Total in:  ${s.totalIn}`,
    `Total out: ${s.totalOut}`,
    `Closing balance: ${s.closing}`,
  ].join('\n');
}

export function renderStatementCsv(s: StatementView): string {
  const line = (cells: readonly string[]) => cells.map(csvCell).join(',');
  const lines = [
    line(['date', 'id', 'type', 'counterparty', 'note', 'amount', 'balance']),
    line([s.period.from, '', 'opening', '', '', '', s.opening]),
    ...s.entries.map((e) =>
      line([e.date, String(e.id), e.type, e.counterparty ?? '', e.note ?? '', e.amount, e.balance]),
    ),
    line([s.period.to, '', 'closing', '', '', '', s.closing]),
  ];
  return lines.join('\r\n');
}

function csvCell(value: string): string {
  // A leading = + - @ would be run as a formula by spreadsheets; amounts are the only cells that start with -.
  const safe = /^[=+@]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}
