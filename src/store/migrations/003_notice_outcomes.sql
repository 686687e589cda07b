-- The public notice's outcomes and what follows certification.
--
-- The chair's decision on an upheld objection (not certified, or a lower grade) with
-- its reason, and the grade a candidate is certified at when it was lowered.
ALTER TABLE objections ADD COLUMN decision TEXT CHECK (decision IN ('not_certified', 'lower'));
ALTER TABLE objections ADD COLUMN decision_grade TEXT CHECK (decision_grade IN ('junior', 'intermediate', 'senior', 'special'));
ALTER TABLE objections ADD COLUMN decision_reason TEXT NOT NULL DEFAULT '';
ALTER TABLE objections ADD COLUMN decided_by INTEGER REFERENCES members(id);
ALTER TABLE objections ADD COLUMN decided_at TEXT;
CREATE INDEX objections_state ON objections(state);

ALTER TABLE applications ADD COLUMN awarded_grade TEXT CHECK (awarded_grade IN ('junior', 'intermediate', 'senior', 'special'));

-- Certificates are numbered per city, year and grade without gaps: the city (the rules'
-- city code) joins the key, and a status change keeps its reason and date. No version
-- before this one wrote certificates, so the table is made anew.
CREATE TABLE certificates_new (
    id             INTEGER PRIMARY KEY,
    number         TEXT NOT NULL UNIQUE,
    city           TEXT NOT NULL,
    person_id      INTEGER NOT NULL REFERENCES persons(id),
    application_id INTEGER REFERENCES applications(id),
    grade          TEXT NOT NULL CHECK (grade IN ('junior', 'intermediate', 'senior', 'special')),
    year           INTEGER NOT NULL,
    seq            INTEGER NOT NULL CHECK (seq >= 1),
    issued_on      TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('valid', 'suspended', 'revoked', 'downgraded')),
    status_on      TEXT,
    status_reason  TEXT NOT NULL DEFAULT '',
    UNIQUE (city, year, grade, seq)
);
INSERT INTO certificates_new (id, number, city, person_id, application_id, grade, year, seq, issued_on, status)
    SELECT id, number, '', person_id, application_id, grade, year, seq, issued_on, status FROM certificates;
DROP TABLE certificates;
ALTER TABLE certificates_new RENAME TO certificates;
CREATE INDEX certificates_person ON certificates(person_id);

-- A failed inspection that lowers the grade issues a certificate of the lower grade.
ALTER TABLE inspections ADD COLUMN new_certificate_id INTEGER REFERENCES certificates(id);
CREATE INDEX job_changes_person ON job_changes(person_id);
