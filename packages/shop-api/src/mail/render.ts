import type { OrderEvent } from '../domain/order-events.js';

/** An e-mail as rendered from an order event: pure data, sent by a transport. */
export interface RenderedEmail {
  to: string;
  toName: string;
  subject: string;
  text: string;
  html: string;
}

/** The order id as customers see it in a subject: its first eight characters. */
export const shortId = (orderId: string) => orderId.slice(0, 8);

/** Integer cents as money in the order's currency (two decimals; the ISO code after). */
export function formatCents(cents: number, currency: string): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  return `${sign}${Math.floor(abs / 100)}.${String(abs % 100).padStart(2, '0')} ${currency}`;
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function headline(event: OrderEvent): { subject: string; lead: string } {
  const id = shortId(event.orderId);
  const { status } = event.payload;
  switch (event.topic) {
    case 'order.placed':
      return { subject: `Order ${id} placed`, lead: 'Thank you for your order. We have received it.' };
    case 'order.cancelled':
      return { subject: `Order ${id} cancelled`, lead: 'Your order was cancelled.' };
    case 'order.status_changed':
      return { subject: `Order ${id} ${status}`, lead: `Your order is now ${status}.` };
  }
}

/** The e-mail for an order event, in text and HTML; every string from a customer or admin is escaped in the HTML. */
export function renderEmail(event: OrderEvent): RenderedEmail {
  const p = event.payload;
  const { subject, lead } = headline(event);
  const money = (cents: number) => formatCents(cents, p.currency);
  const totals: [string, string][] = [['Subtotal', money(p.subtotalCents)]];
  if (p.discountCents > 0) {
    totals.push([`Discount${p.couponCode === null ? '' : ` (${p.couponCode})`}`, `-${money(p.discountCents)}`]);
  }
  totals.push(['Total', money(p.totalCents)]);
  const text = [
    `Hello ${p.customer.name},`,
    '',
    lead,
    '',
    `Order: ${p.orderId}`,
    `Status: ${p.status}`,
    '',
    ...p.items.map(
      (item) =>
        `${item.quantity} x ${item.name} (${item.sku}) at ${money(item.priceAtPurchaseCents)}: ${money(item.lineTotalCents)}`,
    ),
    '',
    ...totals.map(([label, value]) => `${label}: ${value}`),
    '',
  ].join('\n');
  const e = escapeHtml;
  const rows = p.items
    .map(
      (item) =>
        `<tr><td>${item.quantity}</td><td>${e(item.name)} <small>${e(item.sku)}</small></td>` +
        `<td>${e(money(item.priceAtPurchaseCents))}</td><td>${e(money(item.lineTotalCents))}</td></tr>`,
    )
    .join('');
  const totalRows = totals
    .map(([label, value]) => `<tr><th colspan="3">${e(label)}</th><td>${e(value)}</td></tr>`)
    .join('');
  const html =
    `<!doctype html><html><body><p>Hello ${e(p.customer.name)},</p><p>${e(lead)}</p>` +
    `<p>Order: <code>${e(p.orderId)}</code><br>Status: ${e(p.status)}</p>` +
    `<table><thead><tr><th>Qty</th><th>Item</th><th>Price</th><th>Line total</th></tr></thead>` +
    `<tbody>${rows}</tbody><tfoot>${totalRows}</tfoot></table></body></html>`;
  return { to: p.customer.email, toName: p.customer.name, subject, text, html };
}
