-- Members' SSH public keys: sshd is told, for a key presented, which member it belongs
-- to (`pingshen keys`), and starts pingshen as that member. A key belongs to at most
-- one member; its fingerprint is SHA256 of the key data, as `ssh-keygen -l` prints it.
CREATE TABLE member_keys (
    id          INTEGER PRIMARY KEY,
    member_id   INTEGER NOT NULL REFERENCES members(id),
    key_type    TEXT NOT NULL,
    blob        TEXT NOT NULL UNIQUE,
    comment     TEXT NOT NULL DEFAULT '',
    fingerprint TEXT NOT NULL UNIQUE,
    added_at    TEXT NOT NULL
);
CREATE INDEX member_keys_member ON member_keys(member_id);

-- The keys are the committee's data: every change is noted, as for the other tables.
CREATE TRIGGER audit_member_keys_insert AFTER INSERT ON member_keys BEGIN INSERT INTO audit_pending VALUES ('member_keys', NEW.rowid); END;
CREATE TRIGGER audit_member_keys_update AFTER UPDATE ON member_keys BEGIN INSERT INTO audit_pending VALUES ('member_keys', OLD.rowid), ('member_keys', NEW.rowid); END;
CREATE TRIGGER audit_member_keys_delete AFTER DELETE ON member_keys BEGIN INSERT INTO audit_pending VALUES ('member_keys', OLD.rowid); END;
