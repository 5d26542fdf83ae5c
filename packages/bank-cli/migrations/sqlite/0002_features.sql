CREATE TABLE `daily_limits` (
	`account_type` text PRIMARY KEY NOT NULL,
	`amount` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `interest_postings` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`month` text NOT NULL,
	`account_id` integer NOT NULL,
	`transaction_id` integer NOT NULL,
	`amount` integer NOT NULL,
	FOREIGN KEY (`month`) REFERENCES `interest_runs`(`month`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`transaction_id`) REFERENCES `transactions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `interest_postings_month_account` ON `interest_postings` (`month`,`account_id`);--> statement-breakpoint
CREATE TABLE `interest_rates` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`account_type` text NOT NULL,
	`bps` integer NOT NULL,
	`effective_from` integer NOT NULL,
	`actor_id` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`actor_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "interest_rates_bps" CHECK("interest_rates"."bps" >= 0)
);
--> statement-breakpoint
CREATE INDEX `interest_rates_type_idx` ON `interest_rates` (`account_type`,`effective_from`);--> statement-breakpoint
CREATE TABLE `interest_runs` (
	`month` text PRIMARY KEY NOT NULL,
	`actor_id` integer,
	`accounts` integer NOT NULL,
	`total` integer NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`actor_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE TABLE `loan_instalments` (
	`loan_id` integer NOT NULL,
	`n` integer NOT NULL,
	`due_date` text NOT NULL,
	`principal` integer NOT NULL,
	`interest` integer NOT NULL,
	`remaining` integer NOT NULL,
	FOREIGN KEY (`loan_id`) REFERENCES `loans`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `loan_instalments_pk` ON `loan_instalments` (`loan_id`,`n`);--> statement-breakpoint
CREATE TABLE `loans` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`account_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`principal` integer NOT NULL,
	`months` integer NOT NULL,
	`status` text NOT NULL,
	`rate_bps` integer,
	`applied_at` integer NOT NULL,
	`decided_at` integer,
	`decided_by` integer,
	`closed_at` integer,
	`principal_paid` integer DEFAULT 0 NOT NULL,
	`interest_paid` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`account_id`) REFERENCES `accounts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`decided_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	CONSTRAINT "loans_principal_positive" CHECK("loans"."principal" > 0)
);
--> statement-breakpoint
CREATE INDEX `loans_user_idx` ON `loans` (`user_id`);--> statement-breakpoint
CREATE INDEX `loans_status_idx` ON `loans` (`status`);--> statement-breakpoint
CREATE TABLE `recovery_codes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer NOT NULL,
	`code_hash` text NOT NULL,
	`used_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `recovery_codes_user_idx` ON `recovery_codes` (`user_id`);--> statement-breakpoint
CREATE TABLE `transfer_fees` (
	`account_type` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`fixed` integer DEFAULT 0 NOT NULL,
	`bps` integer DEFAULT 0 NOT NULL,
	`min` integer DEFAULT 0 NOT NULL,
	`max` integer,
	CONSTRAINT "transfer_fees_min_max" CHECK("transfer_fees"."max" IS NULL OR "transfer_fees"."max" >= "transfer_fees"."min")
);
--> statement-breakpoint
ALTER TABLE `users` ADD `totp_secret` text;--> statement-breakpoint
ALTER TABLE `users` ADD `totp_last_step` integer;