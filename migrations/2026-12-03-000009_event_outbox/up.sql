-- The transactional outbox: every event is written in the transaction of the change it
-- announces, and deleted once the bus has it. The committing instance publishes at once; the
-- relay (any instance, FOR UPDATE SKIP LOCKED) publishes what a crash or an outage left.
-- Rows live for milliseconds normally, so the table stays small and the primary key (UUID v7,
-- time-ordered) serves the relay's "oldest first".
CREATE TABLE event_outbox (
    id uuid PRIMARY KEY,
    kind text NOT NULL,
    payload jsonb NOT NULL,
    recipients uuid[] NOT NULL,
    origin_session_id uuid,
    occurred_at timestamptz NOT NULL,
    -- A relay's lease: other relays skip the row until then.
    claimed_until timestamptz
);
