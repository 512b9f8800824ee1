-- The plan name in force when an invoice was issued, so an invoice
-- regenerated after the connection changes plan, or the plan is renamed,
-- still shows the plan that was paid for.
ALTER TABLE invoices ADD COLUMN plan_name TEXT NOT NULL DEFAULT '';
