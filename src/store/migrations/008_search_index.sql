-- The search index kept with the database, so that a search starts from it instead of
-- reading every person through the joined tables. Derived data, outside the audit log:
-- it holds nothing the committee's tables do not, and is rebuilt whenever in doubt.
--
-- search_index: the index as of change `seq` of search_changes, in `format` (the
-- search's encoding and its reading tables; another format is rebuilt).
-- search_changes: every person whose searched fields changed since, noted by the
-- triggers below; person 0 stands for everyone (a cycle opened or closed, a bulk
-- import), and while it is noted no single person is.
CREATE TABLE search_index (
    id     INTEGER PRIMARY KEY CHECK (id = 1),
    seq    INTEGER NOT NULL,
    format TEXT NOT NULL,
    data   BLOB NOT NULL
);
CREATE TABLE search_changes (
    seq       INTEGER PRIMARY KEY AUTOINCREMENT,
    person_id INTEGER NOT NULL
);
CREATE INDEX search_changes_everyone ON search_changes (person_id) WHERE person_id = 0;
-- Databases from before this migration have no index yet: everyone is to be read.
INSERT INTO search_changes (person_id) VALUES (0);

CREATE TRIGGER search_persons_insert AFTER INSERT ON persons
WHEN NOT EXISTS (SELECT 1 FROM search_changes WHERE person_id = 0)
BEGIN INSERT INTO search_changes (person_id) VALUES (NEW.id); END;
CREATE TRIGGER search_persons_update AFTER UPDATE OF id, name, id_number, org_id, category, position, current_grade ON persons
WHEN NOT EXISTS (SELECT 1 FROM search_changes WHERE person_id = 0)
BEGIN INSERT INTO search_changes (person_id) VALUES (OLD.id), (NEW.id); END;
CREATE TRIGGER search_persons_delete AFTER DELETE ON persons
WHEN NOT EXISTS (SELECT 1 FROM search_changes WHERE person_id = 0)
BEGIN INSERT INTO search_changes (person_id) VALUES (OLD.id); END;

CREATE TRIGGER search_organisations_update AFTER UPDATE OF name, county, township ON organisations
WHEN NOT EXISTS (SELECT 1 FROM search_changes WHERE person_id = 0)
BEGIN INSERT INTO search_changes (person_id) SELECT id FROM persons WHERE org_id = NEW.id; END;

CREATE TRIGGER search_applications_insert AFTER INSERT ON applications
WHEN NOT EXISTS (SELECT 1 FROM search_changes WHERE person_id = 0)
BEGIN INSERT INTO search_changes (person_id) VALUES (NEW.person_id); END;
CREATE TRIGGER search_applications_update AFTER UPDATE OF cycle_id, person_id, stage ON applications
WHEN NOT EXISTS (SELECT 1 FROM search_changes WHERE person_id = 0)
BEGIN INSERT INTO search_changes (person_id) VALUES (OLD.person_id), (NEW.person_id); END;
CREATE TRIGGER search_applications_delete AFTER DELETE ON applications
WHEN NOT EXISTS (SELECT 1 FROM search_changes WHERE person_id = 0)
BEGIN INSERT INTO search_changes (person_id) VALUES (OLD.person_id); END;

CREATE TRIGGER search_certificates_insert AFTER INSERT ON certificates
WHEN NOT EXISTS (SELECT 1 FROM search_changes WHERE person_id = 0)
BEGIN INSERT INTO search_changes (person_id) VALUES (NEW.person_id); END;
CREATE TRIGGER search_certificates_update AFTER UPDATE OF person_id, status ON certificates
WHEN NOT EXISTS (SELECT 1 FROM search_changes WHERE person_id = 0)
BEGIN INSERT INTO search_changes (person_id) VALUES (OLD.person_id), (NEW.person_id); END;
CREATE TRIGGER search_certificates_delete AFTER DELETE ON certificates
WHEN NOT EXISTS (SELECT 1 FROM search_changes WHERE person_id = 0)
BEGIN INSERT INTO search_changes (person_id) VALUES (OLD.person_id); END;

-- Which cycle is the newest open one decides every person's stage.
CREATE TRIGGER search_cycles_insert AFTER INSERT ON cycles
WHEN NOT EXISTS (SELECT 1 FROM search_changes WHERE person_id = 0)
BEGIN INSERT INTO search_changes (person_id) VALUES (0); END;
CREATE TRIGGER search_cycles_update AFTER UPDATE OF id, year, status ON cycles
WHEN NOT EXISTS (SELECT 1 FROM search_changes WHERE person_id = 0)
BEGIN INSERT INTO search_changes (person_id) VALUES (0); END;
CREATE TRIGGER search_cycles_delete AFTER DELETE ON cycles
WHEN NOT EXISTS (SELECT 1 FROM search_changes WHERE person_id = 0)
BEGIN INSERT INTO search_changes (person_id) VALUES (0); END;
