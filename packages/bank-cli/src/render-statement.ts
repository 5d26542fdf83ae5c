import { csvNumber, csvRow } from '@quartet/core/csv';
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

/**
 * RFC 4180 with CRLF, through core's csvRow: a text cell that a spreadsheet
 * could run as a formula (= + - @ tab CR first) gets a leading ' and quotes;
 * amounts are passed as numbers, so -30.00 stays a number.
 */
export function renderStatementCsv(s: StatementView): string {
  const lines = [
    csvRow(['date', 'id', 'type', 'counterparty', 'note', 'amount', 'balance']),
    csvRow([s.period.from, '', 'opening', '', '', '', csvNumber(s.opening)]),
    ...s.entries.map((e) =>
      csvRow([e.date, e.id, e.type, e.counterparty ?? '', e.note ?? '', csvNumber(e.amount), csvNumber(e.balance)]),
    ),
    csvRow([s.period.to, '', 'closing', '', '', '', csvNumber(s.closing)]),
  ];
  return lines.join('\r\n');
}
