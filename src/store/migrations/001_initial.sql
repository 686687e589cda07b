-- pingshen schema, version 1.

CREATE TABLE meta (
    key   TEXT PRIMARY KEY,
    value TEXT NOT NULL
);

CREATE TABLE organisations (
    id       INTEGER PRIMARY KEY,
    code     TEXT NOT NULL UNIQUE,          -- 统一社会信用代码
    name     TEXT NOT NULL,
    kind     TEXT NOT NULL CHECK (kind IN ('enterprise', 'social')),
    county   TEXT NOT NULL,
    township TEXT NOT NULL DEFAULT '',
    address  TEXT NOT NULL DEFAULT '',
    industry TEXT NOT NULL DEFAULT ''
);

-- 基本情况: basic information of a person's file.
CREATE TABLE persons (
    id              INTEGER PRIMARY KEY,
    id_number       TEXT NOT NULL UNIQUE,
    name            TEXT NOT NULL,
    sex             TEXT NOT NULL CHECK (sex IN ('male', 'female')),
    birth_date      TEXT NOT NULL,
    org_id          INTEGER NOT NULL REFERENCES organisations(id),
    category        TEXT NOT NULL CHECK (category IN ('secretary', 'staff', 'instructor')),
    position        TEXT NOT NULL,
    post_start      TEXT NOT NULL,
    current_grade   TEXT CHECK (current_grade IN ('junior', 'intermediate', 'senior', 'special')),
    grade_since     TEXT,
    phone           TEXT NOT NULL DEFAULT '',
    ethnicity       TEXT NOT NULL DEFAULT '',
    education       TEXT NOT NULL DEFAULT '',
    party_join_date TEXT,
    address         TEXT NOT NULL DEFAULT '',
    title           TEXT NOT NULL DEFAULT '',   -- 职称
    in_post         INTEGER NOT NULL DEFAULT 1
);
CREATE INDEX persons_org ON persons(org_id);

-- 工作经历
CREATE TABLE work_history (
    id           INTEGER PRIMARY KEY,
    person_id    INTEGER NOT NULL REFERENCES persons(id),
    start_date   TEXT NOT NULL,
    end_date     TEXT,
    organisation TEXT NOT NULL,
    position     TEXT NOT NULL,
    UNIQUE (person_id, start_date, organisation)
);

-- 教育培训: education ...
CREATE TABLE education (
    id         INTEGER PRIMARY KEY,
    person_id  INTEGER NOT NULL REFERENCES persons(id),
    start_date TEXT NOT NULL,
    end_date   TEXT,
    school     TEXT NOT NULL,
    major      TEXT NOT NULL DEFAULT '',
    degree     TEXT NOT NULL DEFAULT '',
    UNIQUE (person_id, start_date, school)
);

-- ... and training
CREATE TABLE training (
    id        INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES persons(id),
    date      TEXT NOT NULL,
    days      REAL NOT NULL CHECK (days > 0),
    title     TEXT NOT NULL,
    organiser TEXT NOT NULL DEFAULT '',
    UNIQUE (person_id, date, title)
);
CREATE INDEX training_person ON training(person_id, date);

-- 考核评议
CREATE TABLE assessments (
    id        INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES persons(id),
    year      INTEGER NOT NULL,
    grade     TEXT NOT NULL CHECK (grade IN ('excellent', 'competent', 'basic', 'incompetent')),
    remark    TEXT NOT NULL DEFAULT '',
    UNIQUE (person_id, year)
);

-- 薪酬待遇 (amounts in yuan)
CREATE TABLE pay (
    id        INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES persons(id),
    year      INTEGER NOT NULL,
    item      TEXT NOT NULL,
    amount    REAL NOT NULL,
    UNIQUE (person_id, year, item)
);

-- 奖励处罚
CREATE TABLE rewards (
    id        INTEGER PRIMARY KEY,
    person_id INTEGER NOT NULL REFERENCES persons(id),
    date      TEXT NOT NULL,
    kind      TEXT NOT NULL CHECK (kind IN ('reward', 'penalty')),
    title     TEXT NOT NULL,
    issuer    TEXT NOT NULL DEFAULT '',
    UNIQUE (person_id, date, title)
);

-- Committee members. The PIN is stored only as an argon2 hash.
CREATE TABLE members (
    id           INTEGER PRIMARY KEY,
    name         TEXT NOT NULL UNIQUE,
    role         TEXT NOT NULL CHECK (role IN ('chair', 'member', 'secretary')),
    org_id       INTEGER REFERENCES organisations(id),
    pin_hash     TEXT NOT NULL,
    phone        TEXT NOT NULL DEFAULT '',
    active       INTEGER NOT NULL DEFAULT 1,
    failed_pins  INTEGER NOT NULL DEFAULT 0,
    locked_until TEXT
);

-- A certification cycle, with the rules it is governed by (stored verbatim).
CREATE TABLE cycles (
    id          INTEGER PRIMARY KEY,
    year        INTEGER NOT NULL,
    city        TEXT NOT NULL,
    name        TEXT NOT NULL,
    cycle_date  TEXT NOT NULL,                 -- reference date for eligibility
    rules_toml  TEXT NOT NULL,
    rules_hash  TEXT NOT NULL,
    status      TEXT NOT NULL DEFAULT 'open' CHECK (status IN ('open', 'closed')),
    created_at  TEXT NOT NULL,
    UNIQUE (city, year)
);

CREATE TABLE applications (
    id              INTEGER PRIMARY KEY,
    cycle_id        INTEGER NOT NULL REFERENCES cycles(id),
    person_id       INTEGER NOT NULL REFERENCES persons(id),
    target_grade    TEXT NOT NULL CHECK (target_grade IN ('junior', 'intermediate', 'senior', 'special')),
    declared_on     TEXT NOT NULL,
    statement       TEXT NOT NULL DEFAULT '',
    stage           TEXT NOT NULL CHECK (stage IN ('declaration', 'review', 'test', 'site_visit', 'evaluation', 'notice', 'certified')),
    status          TEXT NOT NULL CHECK (status IN ('active', 'returned', 'rejected', 'failed', 'withdrawn', 'not_certified', 'done')),
    test_score      REAL,
    override_reason TEXT,                      -- passing review despite a failing check
    result_score    REAL,                      -- committee aggregate once finalised
    result_passed   INTEGER,
    finalised_at    TEXT,
    notice_id       INTEGER REFERENCES notices(id),
    updated_at      TEXT NOT NULL,
    UNIQUE (cycle_id, person_id)
);
CREATE INDEX applications_stage ON applications(cycle_id, stage, status);

-- Who decided what, when and why, at each stage.
CREATE TABLE stage_records (
    id             INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES applications(id),
    from_stage     TEXT NOT NULL,
    to_stage       TEXT NOT NULL,
    to_status      TEXT NOT NULL,
    action         TEXT NOT NULL,
    member_id      INTEGER REFERENCES members(id),
    at             TEXT NOT NULL,
    reason         TEXT NOT NULL DEFAULT ''
);
CREATE INDEX stage_records_app ON stage_records(application_id);

CREATE TABLE site_visits (
    id             INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES applications(id),
    visit_date     TEXT NOT NULL,
    visitors       TEXT NOT NULL,
    findings       TEXT NOT NULL,
    rating         TEXT NOT NULL CHECK (rating IN ('satisfied', 'basically_satisfied', 'unsatisfied')),
    recorded_by    INTEGER REFERENCES members(id),
    recorded_at    TEXT NOT NULL
);

-- Declared conflicts of interest (回避).
CREATE TABLE conflicts (
    id             INTEGER PRIMARY KEY,
    member_id      INTEGER NOT NULL REFERENCES members(id),
    person_id      INTEGER NOT NULL REFERENCES persons(id),
    kind           TEXT NOT NULL CHECK (kind IN ('relative', 'worked_there', 'same_org', 'other')),
    reason         TEXT NOT NULL,
    declared_at    TEXT NOT NULL,
    UNIQUE (member_id, person_id)
);

-- A member's score sheet for an application, and its points per criterion.
CREATE TABLE sheets (
    id             INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES applications(id),
    member_id      INTEGER NOT NULL REFERENCES members(id),
    status         TEXT NOT NULL CHECK (status IN ('draft', 'submitted')),
    submitted_at   TEXT,
    UNIQUE (application_id, member_id)
);

CREATE TABLE scores (
    id             INTEGER PRIMARY KEY,
    application_id INTEGER NOT NULL REFERENCES applications(id),
    member_id      INTEGER NOT NULL REFERENCES members(id),
    criterion      TEXT NOT NULL,
    value          REAL NOT NULL CHECK (value >= 0),
    comment        TEXT NOT NULL DEFAULT '',
    updated_at     TEXT NOT NULL,
    UNIQUE (application_id, member_id, criterion)
);

CREATE TABLE notices (
    id          INTEGER PRIMARY KEY,
    cycle_id    INTEGER NOT NULL REFERENCES cycles(id),
    start_date  TEXT NOT NULL,
    end_date    TEXT NOT NULL,
    status      TEXT NOT NULL CHECK (status IN ('open', 'closed')),
    started_by  INTEGER REFERENCES members(id),
    started_at  TEXT NOT NULL,
    closed_at   TEXT
);

-- 异议
CREATE TABLE objections (
    id               INTEGER PRIMARY KEY,
    application_id   INTEGER NOT NULL REFERENCES applications(id),
    received_at      TEXT NOT NULL,
    channel          TEXT NOT NULL CHECK (channel IN ('letter', 'visit', 'phone', 'email')),
    named            INTEGER NOT NULL,
    objector_name    TEXT NOT NULL DEFAULT '',
    objector_contact TEXT NOT NULL DEFAULT '',
    content          TEXT NOT NULL,
    criterion        TEXT,
    late             INTEGER NOT NULL DEFAULT 0,
    state            TEXT NOT NULL CHECK (state IN ('received', 'verifying', 'upheld', 'dismissed', 'withdrawn')),
    findings         TEXT NOT NULL DEFAULT '',
    verified_by      TEXT NOT NULL DEFAULT '',
    updated_at       TEXT NOT NULL
);
CREATE INDEX objections_app ON objections(application_id);

-- 等级证书
CREATE TABLE certificates (
    id             INTEGER PRIMARY KEY,
    number         TEXT NOT NULL UNIQUE,
    person_id      INTEGER NOT NULL REFERENCES persons(id),
    application_id INTEGER REFERENCES applications(id),
    grade          TEXT NOT NULL CHECK (grade IN ('junior', 'intermediate', 'senior', 'special')),
    year           INTEGER NOT NULL,
    seq            INTEGER NOT NULL,
    issued_on      TEXT NOT NULL,
    status         TEXT NOT NULL CHECK (status IN ('valid', 'suspended', 'revoked', 'downgraded')),
    UNIQUE (year, grade, seq)
);

-- 年检
CREATE TABLE inspections (
    id             INTEGER PRIMARY KEY,
    certificate_id INTEGER NOT NULL REFERENCES certificates(id),
    year           INTEGER NOT NULL,
    assessment     TEXT NOT NULL CHECK (assessment IN ('excellent', 'competent', 'basic', 'incompetent')),
    passed         INTEGER NOT NULL,
    outcome        TEXT NOT NULL,
    reason         TEXT NOT NULL DEFAULT '',
    recorded_at    TEXT NOT NULL,
    UNIQUE (certificate_id, year)
);

-- 职务变动报告
CREATE TABLE job_changes (
    id                INTEGER PRIMARY KEY,
    person_id         INTEGER NOT NULL REFERENCES persons(id),
    change_date       TEXT NOT NULL,
    filed_on          TEXT NOT NULL,
    new_organisation  TEXT NOT NULL DEFAULT '',
    new_position      TEXT NOT NULL DEFAULT '',
    left_party_work   INTEGER NOT NULL DEFAULT 0,
    recorded_at       TEXT NOT NULL
);

-- Imported files, so that the same file is never imported twice.
CREATE TABLE imports (
    id       INTEGER PRIMARY KEY,
    kind     TEXT NOT NULL,
    source   TEXT NOT NULL,
    sha256   TEXT NOT NULL,
    rows     INTEGER NOT NULL,
    at       TEXT NOT NULL,
    UNIQUE (kind, sha256)
);

-- The tamper-evident audit log: each row hashes its content and the previous hash.
CREATE TABLE audit (
    id         INTEGER PRIMARY KEY,
    at         TEXT NOT NULL,
    actor_id   INTEGER,
    actor      TEXT NOT NULL,
    action     TEXT NOT NULL,
    entity     TEXT NOT NULL,
    entity_id  TEXT NOT NULL DEFAULT '',
    before     TEXT,
    after      TEXT,
    prev_hash  TEXT NOT NULL,
    hash       TEXT NOT NULL
);
