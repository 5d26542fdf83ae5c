-- The ledger is append-only: a posted transaction is corrected by another
-- transaction, never edited. These triggers enforce that for every writer.
CREATE TRIGGER `transactions_no_update` BEFORE UPDATE ON `transactions`
BEGIN SELECT RAISE(ABORT, 'transactions are append-only'); END;
--> statement-breakpoint
CREATE TRIGGER `transactions_no_delete` BEFORE DELETE ON `transactions`
BEGIN SELECT RAISE(ABORT, 'transactions are append-only'); END;
--> statement-breakpoint
CREATE TRIGGER `postings_no_update` BEFORE UPDATE ON `postings`
BEGIN SELECT RAISE(ABORT, 'postings are append-only'); END;
--> statement-breakpoint
CREATE TRIGGER `postings_no_delete` BEFORE DELETE ON `postings`
BEGIN SELECT RAISE(ABORT, 'postings are append-only'); END;
