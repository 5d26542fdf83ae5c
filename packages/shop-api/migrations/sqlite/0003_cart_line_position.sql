ALTER TABLE `cart_items` ADD `position` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Existing lines keep the order they had, which was insertion (rowid) order.
UPDATE `cart_items` SET `position` = rowid;
