-- Full-text search over product names and descriptions (FTS5). drizzle-kit cannot
-- describe virtual tables, so this migration is hand-written. The index keeps its own
-- copy of the text keyed by product id, not an external-content table on rowid:
-- products has a text primary key, and VACUUM may renumber such a table's rowids.
CREATE VIRTUAL TABLE `products_fts` USING fts5(product_id UNINDEXED, name, description, tokenize = 'unicode61 remove_diacritics 2');
--> statement-breakpoint
INSERT INTO `products_fts` (product_id, name, description) SELECT id, name, description FROM `products`;
--> statement-breakpoint
CREATE TRIGGER `products_fts_insert` AFTER INSERT ON `products` BEGIN
  INSERT INTO `products_fts` (product_id, name, description) VALUES (new.id, new.name, new.description);
END;
--> statement-breakpoint
CREATE TRIGGER `products_fts_update` AFTER UPDATE OF name, description ON `products` BEGIN
  UPDATE `products_fts` SET name = new.name, description = new.description WHERE product_id = old.id;
END;
--> statement-breakpoint
CREATE TRIGGER `products_fts_delete` AFTER DELETE ON `products` BEGIN
  DELETE FROM `products_fts` WHERE product_id = old.id;
END;
