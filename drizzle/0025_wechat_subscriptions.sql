CREATE TABLE "wechat_subscriptions" (
	"account_id" uuid NOT NULL,
	"template_id" text NOT NULL,
	"remaining" integer NOT NULL,
	"updated_at" timestamp with time zone NOT NULL,
	CONSTRAINT "wechat_subscriptions_account_id_template_id_pk" PRIMARY KEY("account_id","template_id"),
	CONSTRAINT "wechat_subscriptions_remaining" CHECK (remaining >= 0)
);
--> statement-breakpoint
ALTER TABLE "wechat_subscriptions" ADD CONSTRAINT "wechat_subscriptions_account_id_accounts_id_fk" FOREIGN KEY ("account_id") REFERENCES "public"."accounts"("id") ON DELETE no action ON UPDATE no action;