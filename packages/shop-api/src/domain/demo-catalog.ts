import type { Product } from './types.js';

/** The demo catalog `shop-api seed` loads: 50 products in 5 categories, identified by sku. */
const CATALOG: Record<string, string[]> = {
  electronics: [
    'Wireless Earbuds',
    'Noise-Cancelling Headphones',
    'Bluetooth Speaker',
    'USB-C Charger 65W',
    'Mechanical Keyboard',
    'Ergonomic Mouse',
    'Portable SSD 1TB',
    'Webcam 1080p',
    'Smart Watch',
    'E-Reader',
  ],
  books: [
    'The Pragmatic Programmer',
    'Designing Data-Intensive Applications',
    'Refactoring',
    'Clean Architecture',
    'Database Internals',
    'The Art of Unix Programming',
    'Structure and Interpretation of Computer Programs',
    'Release It!',
    'Working Effectively with Legacy Code',
    'Domain-Driven Design',
  ],
  home: [
    'Cast Iron Skillet',
    'French Press',
    'Ceramic Mug Set',
    'Chef Knife',
    'Linen Bed Sheets',
    'Wool Throw Blanket',
    'Desk Lamp',
    'Bamboo Cutting Board',
    'Glass Food Containers',
    'Pour-Over Kettle',
  ],
  outdoor: [
    'Trail Running Shoes',
    'Hiking Backpack 30L',
    'Insulated Water Bottle',
    'Camping Hammock',
    'Headlamp',
    'Rain Jacket',
    'Trekking Poles',
    'Sleeping Bag',
    'Camp Stove',
    'Merino Wool Socks',
  ],
  toys: [
    'Wooden Building Blocks',
    'Puzzle 1000 Pieces',
    'Remote Control Car',
    'Chess Set',
    'Kite',
    'Plush Bear',
    'Marble Run',
    'Card Game Classics',
    'Science Kit',
    'Yo-Yo',
  ],
};

export function demoCatalog(now: string, newId: () => string): Product[] {
  return Object.entries(CATALOG).flatMap(([category, names], c) =>
    names.map((name, i) => ({
      id: newId(),
      sku: `DEMO-${category.slice(0, 3).toUpperCase()}-${String(i + 1).padStart(3, '0')}`,
      name,
      description: `${name}: a demo product in ${category}. Sturdy, well reviewed and ready to ship.`,
      // Deterministic, varied prices from 4.99 to about 250.
      priceCents: 499 + (((c * 10 + i) * 4937) % 24_500),
      currency: 'USD',
      stock: (i * 7 + c * 3) % 40,
      category,
      active: true,
      createdAt: now,
      updatedAt: now,
    })),
  );
}
