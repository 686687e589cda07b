-- The review meeting (评审会): the chair leads the committee through the open scoring
-- session's candidates one by one (the agenda), members who must recuse step out and
-- back, and the minutes are written from these rows. At most one meeting of a cycle
-- is under way at a time.
CREATE TABLE meetings (
    id            INTEGER PRIMARY KEY,
    cycle_id      INTEGER NOT NULL REFERENCES cycles(id),
    session_id    INTEGER NOT NULL REFERENCES scoring_sessions(id),
    place         TEXT NOT NULL DEFAULT '',
    started_at    TEXT NOT NULL,
    started_by    INTEGER REFERENCES members(id),
    ended_at      TEXT,
    -- The candidate now discussed, the phase of their turn, when the turn began and
    -- the minutes the chair added to it.
    current_app   INTEGER REFERENCES applications(id),
    phase         TEXT NOT NULL DEFAULT 'scoring' CHECK (phase IN ('scoring', 'discussion', 'revision')),
    turn_since    TEXT,
    extra_minutes INTEGER NOT NULL DEFAULT 0
);
CREATE UNIQUE INDEX meetings_one_open ON meetings(cycle_id) WHERE ended_at IS NULL;

-- The agenda: the candidates in the chair's order, and what happened in each turn.
CREATE TABLE meeting_agenda (
    meeting_id     INTEGER NOT NULL REFERENCES meetings(id),
    application_id INTEGER NOT NULL REFERENCES applications(id),
    position       INTEGER NOT NULL,
    discussed_at   TEXT,
    discussion_at  TEXT,
    revision_at    TEXT,
    PRIMARY KEY (meeting_id, application_id)
);

-- Who took part: the first time each member's app joined the meeting.
CREATE TABLE meeting_attendance (
    meeting_id INTEGER NOT NULL REFERENCES meetings(id),
    member_id  INTEGER NOT NULL REFERENCES members(id),
    joined_at  TEXT NOT NULL,
    PRIMARY KEY (meeting_id, member_id)
);

-- A recused member stepping out for a candidate and back, with the reason.
CREATE TABLE meeting_steps (
    id             INTEGER PRIMARY KEY,
    meeting_id     INTEGER NOT NULL REFERENCES meetings(id),
    application_id INTEGER NOT NULL REFERENCES applications(id),
    member_id      INTEGER NOT NULL REFERENCES members(id),
    reason         TEXT NOT NULL,
    out_at         TEXT NOT NULL,
    back_at        TEXT
);
CREATE INDEX meeting_steps_meeting ON meeting_steps(meeting_id);

-- Presence: each running app in the meeting says it is alive and what it shows. Not
-- committee data (it changes every few seconds and is not audited).
CREATE TABLE meeting_presence (
    meeting_id  INTEGER NOT NULL REFERENCES meetings(id),
    member_id   INTEGER NOT NULL REFERENCES members(id),
    last_seen   TEXT NOT NULL,
    viewing_app INTEGER,
    PRIMARY KEY (meeting_id, member_id)
);

CREATE TRIGGER audit_meetings_insert AFTER INSERT ON meetings BEGIN INSERT INTO audit_pending VALUES ('meetings', NEW.rowid); END;
CREATE TRIGGER audit_meetings_update AFTER UPDATE ON meetings BEGIN INSERT INTO audit_pending VALUES ('meetings', OLD.rowid), ('meetings', NEW.rowid); END;
CREATE TRIGGER audit_meetings_delete AFTER DELETE ON meetings BEGIN INSERT INTO audit_pending VALUES ('meetings', OLD.rowid); END;
CREATE TRIGGER audit_meeting_agenda_insert AFTER INSERT ON meeting_agenda BEGIN INSERT INTO audit_pending VALUES ('meeting_agenda', NEW.rowid); END;
CREATE TRIGGER audit_meeting_agenda_update AFTER UPDATE ON meeting_agenda BEGIN INSERT INTO audit_pending VALUES ('meeting_agenda', OLD.rowid), ('meeting_agenda', NEW.rowid); END;
CREATE TRIGGER audit_meeting_agenda_delete AFTER DELETE ON meeting_agenda BEGIN INSERT INTO audit_pending VALUES ('meeting_agenda', OLD.rowid); END;
CREATE TRIGGER audit_meeting_attendance_insert AFTER INSERT ON meeting_attendance BEGIN INSERT INTO audit_pending VALUES ('meeting_attendance', NEW.rowid); END;
CREATE TRIGGER audit_meeting_attendance_update AFTER UPDATE ON meeting_attendance BEGIN INSERT INTO audit_pending VALUES ('meeting_attendance', OLD.rowid), ('meeting_attendance', NEW.rowid); END;
CREATE TRIGGER audit_meeting_attendance_delete AFTER DELETE ON meeting_attendance BEGIN INSERT INTO audit_pending VALUES ('meeting_attendance', OLD.rowid); END;
CREATE TRIGGER audit_meeting_steps_insert AFTER INSERT ON meeting_steps BEGIN INSERT INTO audit_pending VALUES ('meeting_steps', NEW.rowid); END;
CREATE TRIGGER audit_meeting_steps_update AFTER UPDATE ON meeting_steps BEGIN INSERT INTO audit_pending VALUES ('meeting_steps', OLD.rowid), ('meeting_steps', NEW.rowid); END;
CREATE TRIGGER audit_meeting_steps_delete AFTER DELETE ON meeting_steps BEGIN INSERT INTO audit_pending VALUES ('meeting_steps', OLD.rowid); END;
