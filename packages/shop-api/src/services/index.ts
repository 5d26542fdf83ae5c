import { createAdminService } from './admin.js';
import { createAuthService } from './auth.js';
import { createCartService } from './cart.js';
import { createCatalogService } from './catalog.js';
import { createCouponService } from './coupons.js';
import type { ServiceContext } from './context.js';
import { createOrderService } from './orders.js';
import { createReportService } from './reports.js';

export function createServices(ctx: ServiceContext) {
  return {
    auth: createAuthService(ctx),
    catalog: createCatalogService(ctx),
    cart: createCartService(ctx),
    orders: createOrderService(ctx),
    admin: createAdminService(ctx),
    reports: createReportService(ctx),
    coupons: createCouponService(ctx),
    health: () => ctx.store.ping(),
  };
}

export type Services = ReturnType<typeof createServices>;
