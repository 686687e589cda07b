-- Every change to the committee's tables is noted by a trigger, and the audit row of
-- the change records the hash of each row it wrote (or that it removed one), so that
-- `pingshen check` can replay the log and find any row changed outside pingshen.
CREATE TABLE audit_pending (tbl TEXT NOT NULL, key INTEGER NOT NULL);
ALTER TABLE audit ADD COLUMN rows TEXT;

CREATE TRIGGER audit_members_insert AFTER INSERT ON members BEGIN INSERT INTO audit_pending VALUES ('members', NEW.rowid); END;
-- A member's login counters (failed PINs, the lock) change before a PIN is checked and
-- are not the committee's data: only the member's own columns are noted.
CREATE TRIGGER audit_members_update AFTER UPDATE OF name, role, org_id, pin_hash, phone, active ON members BEGIN INSERT INTO audit_pending VALUES ('members', OLD.rowid), ('members', NEW.rowid); END;
CREATE TRIGGER audit_members_delete AFTER DELETE ON members BEGIN INSERT INTO audit_pending VALUES ('members', OLD.rowid); END;
CREATE TRIGGER audit_cycles_insert AFTER INSERT ON cycles BEGIN INSERT INTO audit_pending VALUES ('cycles', NEW.rowid); END;
CREATE TRIGGER audit_cycles_update AFTER UPDATE ON cycles BEGIN INSERT INTO audit_pending VALUES ('cycles', OLD.rowid), ('cycles', NEW.rowid); END;
CREATE TRIGGER audit_cycles_delete AFTER DELETE ON cycles BEGIN INSERT INTO audit_pending VALUES ('cycles', OLD.rowid); END;
CREATE TRIGGER audit_applications_insert AFTER INSERT ON applications BEGIN INSERT INTO audit_pending VALUES ('applications', NEW.rowid); END;
CREATE TRIGGER audit_applications_update AFTER UPDATE ON applications BEGIN INSERT INTO audit_pending VALUES ('applications', OLD.rowid), ('applications', NEW.rowid); END;
CREATE TRIGGER audit_applications_delete AFTER DELETE ON applications BEGIN INSERT INTO audit_pending VALUES ('applications', OLD.rowid); END;
CREATE TRIGGER audit_stage_records_insert AFTER INSERT ON stage_records BEGIN INSERT INTO audit_pending VALUES ('stage_records', NEW.rowid); END;
CREATE TRIGGER audit_stage_records_update AFTER UPDATE ON stage_records BEGIN INSERT INTO audit_pending VALUES ('stage_records', OLD.rowid), ('stage_records', NEW.rowid); END;
CREATE TRIGGER audit_stage_records_delete AFTER DELETE ON stage_records BEGIN INSERT INTO audit_pending VALUES ('stage_records', OLD.rowid); END;
CREATE TRIGGER audit_site_visits_insert AFTER INSERT ON site_visits BEGIN INSERT INTO audit_pending VALUES ('site_visits', NEW.rowid); END;
CREATE TRIGGER audit_site_visits_update AFTER UPDATE ON site_visits BEGIN INSERT INTO audit_pending VALUES ('site_visits', OLD.rowid), ('site_visits', NEW.rowid); END;
CREATE TRIGGER audit_site_visits_delete AFTER DELETE ON site_visits BEGIN INSERT INTO audit_pending VALUES ('site_visits', OLD.rowid); END;
CREATE TRIGGER audit_conflicts_insert AFTER INSERT ON conflicts BEGIN INSERT INTO audit_pending VALUES ('conflicts', NEW.rowid); END;
CREATE TRIGGER audit_conflicts_update AFTER UPDATE ON conflicts BEGIN INSERT INTO audit_pending VALUES ('conflicts', OLD.rowid), ('conflicts', NEW.rowid); END;
CREATE TRIGGER audit_conflicts_delete AFTER DELETE ON conflicts BEGIN INSERT INTO audit_pending VALUES ('conflicts', OLD.rowid); END;
CREATE TRIGGER audit_sheets_insert AFTER INSERT ON sheets BEGIN INSERT INTO audit_pending VALUES ('sheets', NEW.rowid); END;
CREATE TRIGGER audit_sheets_update AFTER UPDATE ON sheets BEGIN INSERT INTO audit_pending VALUES ('sheets', OLD.rowid), ('sheets', NEW.rowid); END;
CREATE TRIGGER audit_sheets_delete AFTER DELETE ON sheets BEGIN INSERT INTO audit_pending VALUES ('sheets', OLD.rowid); END;
CREATE TRIGGER audit_scores_insert AFTER INSERT ON scores BEGIN INSERT INTO audit_pending VALUES ('scores', NEW.rowid); END;
CREATE TRIGGER audit_scores_update AFTER UPDATE ON scores BEGIN INSERT INTO audit_pending VALUES ('scores', OLD.rowid), ('scores', NEW.rowid); END;
CREATE TRIGGER audit_scores_delete AFTER DELETE ON scores BEGIN INSERT INTO audit_pending VALUES ('scores', OLD.rowid); END;
CREATE TRIGGER audit_scoring_sessions_insert AFTER INSERT ON scoring_sessions BEGIN INSERT INTO audit_pending VALUES ('scoring_sessions', NEW.rowid); END;
CREATE TRIGGER audit_scoring_sessions_update AFTER UPDATE ON scoring_sessions BEGIN INSERT INTO audit_pending VALUES ('scoring_sessions', OLD.rowid), ('scoring_sessions', NEW.rowid); END;
CREATE TRIGGER audit_scoring_sessions_delete AFTER DELETE ON scoring_sessions BEGIN INSERT INTO audit_pending VALUES ('scoring_sessions', OLD.rowid); END;
CREATE TRIGGER audit_score_revisions_insert AFTER INSERT ON score_revisions BEGIN INSERT INTO audit_pending VALUES ('score_revisions', NEW.rowid); END;
CREATE TRIGGER audit_score_revisions_update AFTER UPDATE ON score_revisions BEGIN INSERT INTO audit_pending VALUES ('score_revisions', OLD.rowid), ('score_revisions', NEW.rowid); END;
CREATE TRIGGER audit_score_revisions_delete AFTER DELETE ON score_revisions BEGIN INSERT INTO audit_pending VALUES ('score_revisions', OLD.rowid); END;
CREATE TRIGGER audit_notices_insert AFTER INSERT ON notices BEGIN INSERT INTO audit_pending VALUES ('notices', NEW.rowid); END;
CREATE TRIGGER audit_notices_update AFTER UPDATE ON notices BEGIN INSERT INTO audit_pending VALUES ('notices', OLD.rowid), ('notices', NEW.rowid); END;
CREATE TRIGGER audit_notices_delete AFTER DELETE ON notices BEGIN INSERT INTO audit_pending VALUES ('notices', OLD.rowid); END;
CREATE TRIGGER audit_objections_insert AFTER INSERT ON objections BEGIN INSERT INTO audit_pending VALUES ('objections', NEW.rowid); END;
CREATE TRIGGER audit_objections_update AFTER UPDATE ON objections BEGIN INSERT INTO audit_pending VALUES ('objections', OLD.rowid), ('objections', NEW.rowid); END;
CREATE TRIGGER audit_objections_delete AFTER DELETE ON objections BEGIN INSERT INTO audit_pending VALUES ('objections', OLD.rowid); END;
CREATE TRIGGER audit_certificates_insert AFTER INSERT ON certificates BEGIN INSERT INTO audit_pending VALUES ('certificates', NEW.rowid); END;
CREATE TRIGGER audit_certificates_update AFTER UPDATE ON certificates BEGIN INSERT INTO audit_pending VALUES ('certificates', OLD.rowid), ('certificates', NEW.rowid); END;
CREATE TRIGGER audit_certificates_delete AFTER DELETE ON certificates BEGIN INSERT INTO audit_pending VALUES ('certificates', OLD.rowid); END;
CREATE TRIGGER audit_inspections_insert AFTER INSERT ON inspections BEGIN INSERT INTO audit_pending VALUES ('inspections', NEW.rowid); END;
CREATE TRIGGER audit_inspections_update AFTER UPDATE ON inspections BEGIN INSERT INTO audit_pending VALUES ('inspections', OLD.rowid), ('inspections', NEW.rowid); END;
CREATE TRIGGER audit_inspections_delete AFTER DELETE ON inspections BEGIN INSERT INTO audit_pending VALUES ('inspections', OLD.rowid); END;
CREATE TRIGGER audit_job_changes_insert AFTER INSERT ON job_changes BEGIN INSERT INTO audit_pending VALUES ('job_changes', NEW.rowid); END;
CREATE TRIGGER audit_job_changes_update AFTER UPDATE ON job_changes BEGIN INSERT INTO audit_pending VALUES ('job_changes', OLD.rowid), ('job_changes', NEW.rowid); END;
CREATE TRIGGER audit_job_changes_delete AFTER DELETE ON job_changes BEGIN INSERT INTO audit_pending VALUES ('job_changes', OLD.rowid); END;
