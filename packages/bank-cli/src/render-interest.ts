import { formatMoney } from './domain/currency.js';
import type { AccrualResult } from './domain/interest.js';
import type { Currency } from './domain/types.js';
import { iso } from './domain/views.js';
import { renderTable } from './render.js';

export function renderAccrual(r: AccrualResult, c: Currency): string {
  if (r.alreadyPosted) {
    return `Interest for ${r.month} was already posted at ${iso(r.postedAt)} (${formatMoney(r.total, c)} ${c.code}); nothing posted now.`;
  }
  const rows = r.credited.map((x) => [x.number, x.owner ?? '', formatMoney(x.amount, c)]);
  const table = rows.length === 0 ? '' : `\n${renderTable(['ACCOUNT', 'OWNER', 'INTEREST'], rows, [2])}`;
  return `Posted interest for ${r.month}: ${rows.length} account(s), ${formatMoney(r.total, c)} ${c.code}.${table}`;
}
