import type { AccountView, AdminActionView, AuditView, EntryView, TransferView, UserView } from './domain/views.js';

/**
 * Plain-text renderings shared by the subcommands and the menus. Pure:
 * values in, lines out; amounts right-aligned so decimal points line up.
 */
export function renderTable(
  headers: readonly string[],
  rows: readonly (readonly string[])[],
  right: readonly number[] = [],
): string {
  const widths = headers.map((h, i) => Math.max(h.length, ...rows.map((row) => (row[i] ?? '').length)));
  const line = (cells: readonly string[]) =>
    cells
      .map((cell, i) => (right.includes(i) ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
      .join('  ')
      .trimEnd();
  return [line(headers), ...rows.map(line)].join('\n');
}

export function renderAccounts(accounts: readonly AccountView[], withOwner = false): string {
  if (accounts.length === 0) return withOwner ? 'No accounts yet.' : 'You have no accounts yet.';
  const headers = ['NUMBER', 'TYPE', 'NAME', 'BALANCE', ...(withOwner ? ['OWNER'] : [])];
  const rows = accounts.map((a) => [
    a.number,
    a.type,
    a.name,
    `${a.balance} ${a.currency}`,
    ...(withOwner ? [a.active ? (a.owner ?? '') : `${a.owner ?? ''} (inactive)`] : []),
  ]);
  return renderTable(headers, rows, [3]);
}

export function renderEntry(e: EntryView): string {
  const what: Record<string, string> = {
    deposit: `Deposited ${e.amount} ${e.currency}`,
    withdrawal: `Withdrew ${e.amount} ${e.currency}`,
    transfer_out: `Sent ${e.amount} ${e.currency} to ${e.counterparty ?? '?'} (${e.counterpartyOwner ?? '?'})`,
    transfer_in: `Received ${e.amount} ${e.currency} from ${e.counterparty ?? '?'} (${e.counterpartyOwner ?? '?'})`,
    interest: `Interest ${e.amount} ${e.currency}`,
    fee: `Fee ${e.amount} ${e.currency}`,
    loan_disbursement: `Loan paid out ${e.amount} ${e.currency}`,
    loan_repayment: `Loan repayment ${e.amount} ${e.currency}`,
  };
  return `${what[e.type] ?? `${e.type} ${e.amount} ${e.currency}`}. Balance: ${e.balanceAfter} ${e.currency}. Transaction #${e.id}.`;
}

export function renderTransfer(t: TransferView): string {
  const entry = renderEntry(t);
  if (t.feeTransactionId === null) return entry;
  return `${entry} Fee: ${t.fee} ${t.currency} (transaction #${t.feeTransactionId}). Balance after the fee: ${t.balanceAfterFee} ${t.currency}.`;
}

/** Entry types that take money out of the account. */
export const OUTGOING = new Set(['withdrawal', 'transfer_out', 'fee', 'loan_repayment']);

export function renderHistory(entries: readonly EntryView[]): string {
  if (entries.length === 0) return 'No transactions.';
  const rows = entries.map((e) => [
    String(e.id),
    e.createdAt.replace('T', ' ').slice(0, 19),
    e.type,
    (OUTGOING.has(e.type) ? '-' : '+') + e.amount,
    e.balanceAfter,
    e.counterparty ? `${e.counterparty} (${e.counterpartyOwner ?? '?'})` : '',
    e.note ?? '',
  ]);
  return renderTable(['ID', 'DATE (UTC)', 'TYPE', 'AMOUNT', 'BALANCE', 'COUNTERPARTY', 'NOTE'], rows, [0, 3, 4]);
}

export function renderUsers(users: readonly UserView[]): string {
  // The lock column appears only while someone is locked out.
  const locks = users.some((u) => u.lockedUntil);
  const rows = users.map((u) => [
    u.username,
    u.role,
    u.active ? 'active' : 'inactive',
    ...(locks ? [u.lockedUntil ? `until ${u.lockedUntil.slice(0, 19).replace('T', ' ')}` : ''] : []),
  ]);
  return renderTable(['USERNAME', 'ROLE', 'STATUS', ...(locks ? ['LOCKED'] : [])], rows);
}

export function renderAudit(rows: readonly AuditView[]): string {
  if (rows.length === 0) return 'No transactions.';
  const table = rows.map((t) => [
    String(t.id),
    t.createdAt.replace('T', ' ').slice(0, 19),
    t.kind,
    t.amount,
    t.from.join(','),
    t.to.join(','),
    t.actor ?? '',
    t.note ?? '',
  ]);
  return renderTable(['ID', 'DATE (UTC)', 'KIND', 'AMOUNT', 'FROM', 'TO', 'BY', 'NOTE'], table, [0, 3]);
}

export function renderAdminLog(rows: readonly AdminActionView[]): string {
  if (rows.length === 0) return 'No administrator actions.';
  const table = rows.map((a) => [
    String(a.id),
    a.createdAt.replace('T', ' ').slice(0, 19),
    a.actor ?? '',
    a.action,
    a.target,
    a.detail ?? '',
  ]);
  return renderTable(['ID', 'DATE (UTC)', 'BY', 'ACTION', 'TARGET', 'DETAIL'], table, [0]);
}

export function renderVerify(problems: readonly string[]): string {
  return problems.length === 0 ? 'ledger OK' : problems.join('\n');
}
