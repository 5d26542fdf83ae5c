CREATE TABLE `bans` (
	`mask` text PRIMARY KEY NOT NULL,
	`reason` text NOT NULL,
	`set_by` text NOT NULL,
	`set_at` integer NOT NULL,
	`expires_at` integer
);
--> statement-breakpoint
CREATE TABLE `messages` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`at` integer NOT NULL,
	`channel_key` text NOT NULL,
	`prefix` text NOT NULL,
	`command` text NOT NULL,
	`text` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `messages_channel_id` ON `messages` (`channel_key`,`id`);--> statement-breakpoint
CREATE INDEX `messages_at` ON `messages` (`at`);--> statement-breakpoint
CREATE TABLE `mutes` (
	`nick_key` text PRIMARY KEY NOT NULL,
	`nick` text NOT NULL,
	`set_by` text NOT NULL,
	`set_at` integer NOT NULL,
	`expires_at` integer
);
