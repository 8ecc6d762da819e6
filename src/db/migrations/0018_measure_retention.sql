-- Retention of what the community records about a measure (Standards: "retention limits enforced
-- by code"): observation reports and door-sensor events are deleted MEASURE_RETENTION_DAYS after the
-- measure ends, and an arrival report then loses its travel details (origin, route, transport)
-- while keeping its dates and measure, which the certificate's residence rule still reads.
ALTER TABLE arrival_reports ADD COLUMN details_purged_at timestamptz;
-- the purge finds old events by time across all sensors: BRIN costs almost nothing per insert
CREATE INDEX door_events_at_idx ON door_events USING brin (at);
