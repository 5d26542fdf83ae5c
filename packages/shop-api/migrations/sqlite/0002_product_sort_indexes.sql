DROP INDEX `products_category_price_idx`;--> statement-breakpoint
DROP INDEX `products_price_idx`;--> statement-breakpoint
DROP INDEX `products_name_idx`;--> statement-breakpoint
DROP INDEX `products_created_idx`;--> statement-breakpoint
CREATE INDEX `products_category_price_idx` ON `products` (`active`,`category`,`price_cents`,`id`);--> statement-breakpoint
CREATE INDEX `products_price_idx` ON `products` (`active`,`price_cents`,`id`);--> statement-breakpoint
CREATE INDEX `products_name_idx` ON `products` (`active`,`name`,`id`);--> statement-breakpoint
CREATE INDEX `products_created_idx` ON `products` (`active`,`created_at`,`id`);