-- last_error keeps the English text of the last failed attempt, for logs
-- and for rows written before this column. last_error_message holds the
-- same reason as JSON from message.Encode, which the Email screen shows in
-- the chosen language, or is empty when the reason is not such a message.
ALTER TABLE outbox ADD COLUMN last_error_message TEXT NOT NULL DEFAULT '';
