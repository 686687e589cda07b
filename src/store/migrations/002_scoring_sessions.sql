-- Scoring sessions of the overall evaluation (综合评定): the chair opens scoring,
-- members score while it is open, and the chair closes it to see the results.
-- At most one session of a cycle is open at a time.
CREATE TABLE scoring_sessions (
    id         INTEGER PRIMARY KEY,
    cycle_id   INTEGER NOT NULL REFERENCES cycles(id),
    opened_at  TEXT NOT NULL,
    opened_by  INTEGER REFERENCES members(id),
    closed_at  TEXT,
    closed_by  INTEGER REFERENCES members(id)
);
CREATE UNIQUE INDEX scoring_sessions_one_open ON scoring_sessions(cycle_id) WHERE closed_at IS NULL;

-- A change to a submitted sheet: the value before and after, and why. The chair sees
-- the scores before and after discussion.
CREATE TABLE score_revisions (
    id             INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES applications(id),
    member_id      INTEGER NOT NULL REFERENCES members(id),
    criterion      TEXT NOT NULL,
    before         REAL,
    after          REAL NOT NULL,
    reason         TEXT NOT NULL CHECK (length(trim(reason)) > 0),
    at             TEXT NOT NULL
);
CREATE INDEX score_revisions_app ON score_revisions(application_id);
CREATE INDEX sheets_member ON sheets(member_id);
