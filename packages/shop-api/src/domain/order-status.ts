import type { OrderStatus, Role } from './types.js';

/**
 * The order state machine: pending → processing → shipped → delivered, and
 * pending|processing → cancelled. A customer may only cancel while pending;
 * an administrator may make every listed transition.
 */
const NEXT: Readonly<Record<OrderStatus, readonly OrderStatus[]>> = {
  pending: ['processing', 'cancelled'],
  processing: ['shipped', 'cancelled'],
  shipped: ['delivered'],
  delivered: [],
  cancelled: [],
};

export function canTransition(from: OrderStatus, to: OrderStatus, actor: Role): boolean {
  if (!NEXT[from].includes(to)) return false;
  return actor === 'admin' || (from === 'pending' && to === 'cancelled');
}

/** Cancelling puts the ordered units back on the shelf. */
export function restoresStock(to: OrderStatus): boolean {
  return to === 'cancelled';
}
