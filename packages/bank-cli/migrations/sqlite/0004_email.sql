CREATE TABLE `mail_outbox` (
	`id` integer PRIMARY KEY NOT NULL,
	`notification_id` integer NOT NULL,
	`address` text NOT NULL,
	`message` text NOT NULL,
	`created_at` integer NOT NULL,
	`next_attempt_at` integer,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`sent_at` integer,
	`message_id` text,
	`dead_at` integer
);
--> statement-breakpoint
CREATE INDEX `mail_outbox_due_idx` ON `mail_outbox` (`next_attempt_at`) WHERE "mail_outbox"."next_attempt_at" IS NOT NULL;--> statement-breakpoint
CREATE TABLE `user_emails` (
	`user_id` integer PRIMARY KEY NOT NULL,
	`address` text NOT NULL,
	`verified_at` integer,
	`code_hash` text,
	`code_expires_at` integer,
	`code_tries` integer DEFAULT 0 NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
