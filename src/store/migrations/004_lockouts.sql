-- Lockouts that grow with repeated failures: how many times a member has been locked
-- out since their last login (each lock lasts twice the one before, up to a cap).
-- `failed_pins` counts the attempts let through since the last login or the end of
-- the last lock, counted before their PIN is checked.
ALTER TABLE members ADD COLUMN lockouts INTEGER NOT NULL DEFAULT 0;
