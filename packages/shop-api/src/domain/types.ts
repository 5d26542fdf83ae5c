/** The shapes the services and repositories exchange. Money is integer cents; times are ISO-8601 UTC strings. */
export const ROLES = ['customer', 'admin'] as const;
export type Role = (typeof ROLES)[number];

export interface User {
  id: string;
  email: string;
  name: string;
  role: Role;
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

/** A user as an access token is checked against: tokens issued at another version are no longer valid. */
export interface SessionUser extends User {
  tokenVersion: number;
}

export interface UserWithHash extends SessionUser {
  passwordHash: string;
}

export interface Product {
  id: string;
  sku: string;
  name: string;
  description: string;
  priceCents: number;
  currency: string;
  stock: number;
  category: string;
  active: boolean;
  createdAt: string;
  updatedAt: string;
}

export interface CartLine {
  productId: string;
  sku: string;
  name: string;
  unitPriceCents: number;
  currency: string;
  quantity: number;
  stock: number;
  active: boolean;
}

export const ORDER_STATUSES = ['pending', 'processing', 'shipped', 'delivered', 'cancelled'] as const;
export type OrderStatus = (typeof ORDER_STATUSES)[number];

export interface OrderItem {
  productId: string;
  sku: string;
  name: string;
  quantity: number;
  priceAtPurchaseCents: number;
  lineTotalCents: number;
}

export interface StatusChange {
  from: OrderStatus | null;
  to: OrderStatus;
  actorId: string | null;
  at: string;
}

export interface OrderSummary {
  id: string;
  userId: string;
  status: OrderStatus;
  currency: string;
  /** The lines' sum before a coupon. */
  subtotalCents: number;
  /** What the coupon took off; 0 without one. totalCents = subtotalCents - discountCents. */
  discountCents: number;
  /** The coupon applied at checkout, upper-case; null without one. */
  couponCode: string | null;
  totalCents: number;
  itemCount: number;
  note: string | null;
  createdAt: string;
  updatedAt: string;
}

export interface Order extends OrderSummary {
  items: OrderItem[];
  history: StatusChange[];
}

export interface PageRequest {
  page: number;
  limit: number;
}

export interface Page<T> {
  items: T[];
  total: number;
  page: number;
  limit: number;
}

export interface ActivityEntry {
  id: number;
  at: string;
  action: string;
  actorId: string | null;
  targetType: string | null;
  targetId: string | null;
  ip: string | null;
  detail: Record<string, unknown> | null;
}

export interface Stats {
  users: { total: number; active: number; admins: number };
  products: { total: number; active: number; archived: number; outOfStock: number };
  ordersByStatus: Record<OrderStatus, number>;
  revenue: { deliveredCents: number; nonCancelledCents: number };
  lowStock: { id: string; sku: string; name: string; stock: number }[];
  lowStockThreshold: number;
}
