//! Every refusal reads in both languages: built once with sample data for each variant
//! of every error (and every deed refused to every role that may not do it), its
//! Chinese holds no Latin words and its English no Chinese characters, once the sample
//! data put in is taken out.
//!
//! The samples are listed through `samples!`, which also writes an exhaustive match over
//! the variants it lists: a variant added without a sample does not compile.

use chrono::NaiveDate;
use pingshen::domain::certificate::{CertStatus, CertificateError};
use pingshen::domain::ids::{CreditCodeError, IdError};
use pingshen::domain::notice::{NoticeError, ObjectionState};
use pingshen::domain::pubkey::{KeyError, KeyType};
use pingshen::domain::rules::RuleProblem;
use pingshen::domain::stage::{Lack, Position, Stage, Status, TransitionError};
use pingshen::domain::workdays::CalendarError;
use pingshen::domain::Sex;
use pingshen::domain::{may, Assessment, Category, ConflictKind, Deed, Grade, Recusal, Role};
use pingshen::service::import::{Choices, ImportError, Keyed, Kind, RowError, RowProblem};
use pingshen::service::members::PinError;
use pingshen::service::{EvalWork, Field, Missing, Refusal, ServiceError};
use pingshen::store::StoreError;

/// One sample per variant of `$ty`, in a `Vec`; the match it writes covers exactly the
/// variants listed, so it stops compiling when `$ty` gains one.
macro_rules! samples {
    ($ty:ident { $($variant:ident => $sample:expr,)+ }) => {{
        #[allow(dead_code)]
        fn listed(e: &$ty) {
            match e {
                $($ty::$variant { .. } => {})+
            }
        }
        let samples: Vec<$ty> = vec![$($sample),+];
        let names = [$(stringify!($variant)),+];
        for (s, name) in samples.iter().zip(names) {
            let matched = match s {
                $($ty::$variant { .. } => stringify!($variant),)+
            };
            assert_eq!(matched, name, "the sample listed as {name} is a {matched}");
        }
        samples
    }};
}

fn day(m: u32, d: u32) -> NaiveDate {
    NaiveDate::from_ymd_opt(2026, m, d).unwrap()
}

/// What the samples put in: names, free texts, messages of other programs, and the
/// names, headers and values of import files (a value a coded column accepts reads in
/// both spellings in English). Taken out of a rendering before it is checked.
const DATA: &[&str] = &[
    "张伟",
    "李娜",
    "钱军",
    "王某",
    "南京市 2026 年度认证",
    "南京市",
    "系候选人表妹",
    "政治素质",
    "业务水平",
    "任职年限",
    "NJ-2026-G-0001",
    "decl.csv",
    "name_en",
    "phone",
    "区县",
    "PIN",
    "2026-11-26T09:00:00Z",
    "91350100M000100Y43",
    "**************002X",
    "'O'",
    "“O”",
    "'女'",
    "(男)",
    "(党建工作指导员)",
    "male/男, female/女",
    "secretary/党组织书记, staff/专职党务工作人员, instructor/党建工作指导员",
    "junior/初级, intermediate/中级, senior/高级, special/特级",
    "excellent/优秀, competent/称职, basic/基本称职, incompetent/不称职",
    "chair/主任委员, member/委员, secretary/秘书",
    "enterprise/企业, social/社会组织",
    "reward/奖励, penalty/处罚",
    "memory cost is too small",
    "salt is invalid",
    "grades.senior.min_years",
    "must be >= 0",
    "2026-13-01",
    "bogus",
    "friend",
    "charm",
    "widgets",
    "found record with 3 fields, but the previous record has 2 fields",
    "No such file or directory",
    "permission denied",
    "Query returned no rows",
    "return for correction",
    "withdraw an objection",
    "revoke a grade (exit)",
    "suspend",
    "/tmp/p.sqlite3",
    "U+001B",
    "U+202E",
    "U+000A",
    "'.txt'",
    "“.txt”",
    "'杨?'",
    "“杨?”",
    "'female'",
    "“female”",
    "Sheet1",
    "人员名单",
    "expected value at line 1 column 1",
    "invalid Zip archive",
    "3.20102E+17",
    "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU",
    "from=\"10.0.0.1\",no-pty",
    "ssh-dss",
    "chen.pub",
    "/srv/pingshen/a\"b.sqlite3",
];

/// Commands and rule-file keys a refusal tells the user to type, the letters a credit
/// code may not hold, and the names of the file types and encodings to save as, the
/// same in both languages.
const TYPED: &[&str] = &[
    ".csv",
    ".xlsx",
    ".json",
    "CSV UTF-8",
    "UTF-8",
    "GB18030",
    "GBK",
    "I、O、S、V、Z",
    "pingshen cycle new --rules",
    "--year",
    "pingshen init --db",
    "--force",
    "[calendar.",
    "pingshen member key list",
    "SHA256:…",
    "sshd",
    "base64",
    ".pub",
    "ssh-ed25519",
    "sk-ssh-ed25519@openssh.com",
    "ecdsa-sha2-nistp256",
    "ecdsa-sha2-nistp384",
    "ecdsa-sha2-nistp521",
    "sk-ecdsa-sha2-nistp256@openssh.com",
    "ssh-rsa",
];

fn without(text: &str, parts: &[&str]) -> String {
    let mut parts = parts.to_vec();
    parts.sort_by_key(|p| std::cmp::Reverse(p.len()));
    let mut text = text.to_string();
    for p in parts {
        text = text.replace(p, " ");
    }
    text
}

fn is_han(c: char) -> bool {
    matches!(c, '\u{4E00}'..='\u{9FFF}' | '\u{3400}'..='\u{4DBF}')
}

/// Checks one refusal's two renderings.
fn reads_in_both(what: &str, zh: &str, en: &str) {
    let zh_rest = without(&without(zh, DATA), TYPED);
    assert!(
        !zh_rest.chars().any(|c| c.is_ascii_alphabetic()),
        "{what}: Latin in the Chinese: {zh}"
    );
    assert!(zh_rest.chars().any(is_han), "{what}: no Chinese: {zh}");
    let en_rest = without(en, DATA);
    assert!(
        !en_rest
            .chars()
            .any(|c| is_han(c) || matches!(c, '，' | '：' | '（' | '）')),
        "{what}: Chinese in the English: {en}"
    );
    assert!(
        en_rest.chars().any(|c| c.is_ascii_alphabetic()),
        "{what}: no English: {en}"
    );
}

fn positions() -> Vec<Position> {
    let statuses = samples!(Status {
        Active => Status::Active,
        Returned => Status::Returned,
        Rejected => Status::Rejected,
        Failed => Status::Failed,
        Withdrawn => Status::Withdrawn,
        NotCertified => Status::NotCertified,
        Done => Status::Done,
    });
    statuses
        .into_iter()
        .zip(Stage::ALL.iter().cycle())
        .map(|(status, stage)| Position {
            stage: *stage,
            status,
        })
        .collect()
}

fn recusals() -> Vec<Recusal> {
    let mut all = samples!(Recusal {
        SameOrganisation => Recusal::SameOrganisation,
        Declared => Recusal::Declared {
            kind: ConflictKind::Relative,
            reason: "系候选人表妹".into(),
        },
    });
    for kind in ConflictKind::ALL {
        all.push(Recusal::Declared {
            kind: *kind,
            reason: "系候选人表妹".into(),
        });
    }
    all
}

fn transition_errors() -> Vec<TransitionError> {
    let lacks = samples!(Lack {
        Position => Lack::Position,
        Phone => Lack::Phone,
        Statement => Lack::Statement,
        Assessments => Lack::Assessments,
    });
    let mut all = samples!(TransitionError {
        Final => TransitionError::Final(Status::Rejected),
        ReasonRequired => TransitionError::ReasonRequired("return for correction"),
        Incomplete => TransitionError::Incomplete(lacks),
        Ineligible => TransitionError::Ineligible(vec![
            "prior_grade".into(),
            "training_days".into(),
            "years_in_post".into(),
        ]),
        NoTestScore => TransitionError::NoTestScore,
        TestNotPassed => TransitionError::TestNotPassed,
        NoVisit => TransitionError::NoVisit,
        NoResult => TransitionError::NoResult,
        ResultNotPassed => TransitionError::ResultNotPassed,
        NoticeOpen => TransitionError::NoticeOpen,
        OpenObjections => TransitionError::OpenObjections(2),
        UpheldObjections => TransitionError::UpheldObjections(1),
        NoticeStarted => TransitionError::NoticeStarted,
        NotFinalised => TransitionError::NotFinalised,
        WrongStage => TransitionError::WrongStage {
            deed: Deed::RejectApplication,
            stage: Stage::Evaluation,
        },
    });
    all.extend(
        positions()
            .into_iter()
            .map(|p| TransitionError::Final(p.status)),
    );
    all.extend(Deed::ALL.iter().map(|d| TransitionError::WrongStage {
        deed: *d,
        stage: Stage::Certified,
    }));
    all
}

fn notice_errors() -> Vec<NoticeError> {
    let states = samples!(ObjectionState {
        Received => ObjectionState::Received,
        Verifying => ObjectionState::Verifying,
        Upheld => ObjectionState::Upheld,
        Dismissed => ObjectionState::Dismissed,
        Withdrawn => ObjectionState::Withdrawn,
    });
    let mut all = samples!(NoticeError {
        ObjectionConcluded => NoticeError::ObjectionConcluded(ObjectionState::Upheld),
        AlreadyVerifying => NoticeError::AlreadyVerifying,
        NotVerified => NoticeError::NotVerified,
        FindingsRequired => NoticeError::FindingsRequired,
        VerifierRequired => NoticeError::VerifierRequired,
        ReasonRequired => NoticeError::ReasonRequired("withdraw an objection"),
        NotUpheld => NoticeError::NotUpheld(ObjectionState::Dismissed),
        AlreadyDecided => NoticeError::AlreadyDecided,
        NotLower => NoticeError::NotLower {
            proposed: Grade::Intermediate,
            given: Grade::Senior,
        },
        GradeUndefined => NoticeError::GradeUndefined(Grade::Special),
        AlreadyHeld => NoticeError::AlreadyHeld(Grade::Junior),
        Closed => NoticeError::Closed,
        NotEnded => NoticeError::NotEnded(day(11, 27)),
        Blocked => NoticeError::Blocked {
            open: vec!["张伟".into()],
            undecided: vec!["钱军".into(), "李娜".into()],
        },
    });
    for s in states {
        all.push(NoticeError::ObjectionConcluded(s));
        all.push(NoticeError::NotUpheld(s));
    }
    all.push(NoticeError::Blocked {
        open: vec![],
        undecided: vec!["李娜".into()],
    });
    all
}

fn certificate_errors() -> Vec<CertificateError> {
    let statuses = samples!(CertStatus {
        Valid => CertStatus::Valid,
        Suspended => CertStatus::Suspended,
        Revoked => CertStatus::Revoked,
        Downgraded => CertStatus::Downgraded,
    });
    let mut all = samples!(CertificateError {
        Final => CertificateError::Final(CertStatus::Revoked),
        WrongStatus => CertificateError::WrongStatus {
            action: "suspend",
            status: CertStatus::Suspended,
        },
        ReasonRequired => CertificateError::ReasonRequired("revoke a grade (exit)"),
        AlreadyInspected => CertificateError::AlreadyInspected(2026),
        AssessmentDiffers => CertificateError::AssessmentDiffers {
            year: 2025,
            recorded: Assessment::Competent,
            given: Assessment::Incompetent,
        },
        NoGrade => CertificateError::NoGrade("张伟".into()),
        AlreadyCertified => CertificateError::AlreadyCertified {
            name: "张伟".into(),
            grade: Grade::Senior,
        },
        NotCertifiable => CertificateError::NotCertifiable(Category::Instructor),
    });
    for s in statuses {
        all.push(CertificateError::Final(s));
    }
    all
}

fn store_errors() -> Vec<StoreError> {
    samples!(StoreError {
        Newer => StoreError::Newer {
            path: "/tmp/p.sqlite3".into(),
            found: 9,
            supported: 5,
        },
        Foreign => StoreError::Foreign("/tmp/p.sqlite3".into()),
        NotADatabase => StoreError::NotADatabase("/tmp/p.sqlite3".into()),
        Empty => StoreError::Empty("/tmp/p.sqlite3".into()),
        Locked => StoreError::Locked("/tmp/p.sqlite3".into()),
        CannotOpen => StoreError::CannotOpen("/tmp/p.sqlite3".into()),
        Create => StoreError::Create {
            path: "/tmp/p.sqlite3".into(),
            source: std::io::Error::new(std::io::ErrorKind::PermissionDenied, "permission denied"),
        },
        Sqlite => StoreError::Sqlite(rusqlite::Error::QueryReturnedNoRows),
    })
}

/// Every problem of an import's rows, with every value of what it nests.
fn row_problems() -> Vec<RowProblem> {
    let choices = samples!(Choices {
        Sex => Choices::Sex,
        Category => Choices::Category,
        Grade => Choices::Grade,
        Assessment => Choices::Assessment,
        Role => Choices::Role,
        OrgKind => Choices::OrgKind,
        RewardKind => Choices::RewardKind,
    });
    let keyed = samples!(Keyed {
        IdNumber => Keyed::IdNumber,
        CreditCode => Keyed::CreditCode,
        MemberName => Keyed::MemberName,
        Declaration => Keyed::Declaration,
        Record => Keyed::Record,
        PublicKey => Keyed::PublicKey,
    });
    let id_errors = samples!(IdError {
        Length => IdError::Length(17),
        NotDigit => IdError::NotDigit { pos: 14, found: '-' },
        Area => IdError::Area("990105".into()),
        BirthDate => IdError::BirthDate("19490230".into()),
        BirthRange => IdError::BirthRange("2030-01-01".into()),
        Check => IdError::Check {
            expected: '7',
            found: '3',
        },
    });
    let credit_errors = samples!(CreditCodeError {
        Length => CreditCodeError::Length(4),
        Char => CreditCodeError::Char { pos: 14, found: 'O' },
        Check => CreditCodeError::Check {
            expected: '3',
            found: '4',
        },
    });
    let pin_errors = samples!(PinError {
        TooShort => PinError::TooShort { min: 6 },
        Costs => PinError::Costs {
            problem: "memory cost is too small".into(),
        },
        Hash => PinError::Hash {
            problem: "salt is invalid".into(),
        },
    });
    let masked = || "**************002X".to_string();
    let code = || "91350100M000100Y43".to_string();
    let mut all = samples!(RowProblem {
        HostileHeader => RowProblem::HostileHeader { found: '\u{1b}' },
        ColumnTwice => RowProblem::ColumnTwice {
            key: "county",
            zh: "区县",
        },
        UnknownColumn => RowProblem::UnknownColumn {
            kind: Kind::Persons,
        },
        MissingColumn => RowProblem::MissingColumn {
            key: "county",
            zh: "区县",
        },
        NoDataRows => RowProblem::NoDataRows,
        UnknownFileType => RowProblem::UnknownFileType { ext: "txt".into() },
        CannotRead => RowProblem::CannotRead {
            problem: "No such file or directory".into(),
        },
        EmptyFile => RowProblem::EmptyFile,
        UnknownEncoding => RowProblem::UnknownEncoding,
        MixedEncoding => RowProblem::MixedEncoding,
        LostCharacter => RowProblem::LostCharacter {
            found: "杨?".into(),
        },
        UnterminatedQuote => RowProblem::UnterminatedQuote,
        MalformedCsv => RowProblem::MalformedCsv {
            problem: "found record with 3 fields, but the previous record has 2 fields".into(),
        },
        MalformedJson => RowProblem::MalformedJson {
            problem: "expected value at line 1 column 1".into(),
        },
        JsonNotArray => RowProblem::JsonNotArray,
        JsonNotObject => RowProblem::JsonNotObject { item: 3 },
        NotXlsx => RowProblem::NotXlsx {
            problem: "invalid Zip archive".into(),
        },
        SheetUnreadable => RowProblem::SheetUnreadable {
            sheet: "Sheet1".into(),
            problem: "invalid Zip archive".into(),
        },
        DataOnOtherSheet => RowProblem::DataOnOtherSheet {
            first: "Sheet1".into(),
            found: "人员名单".into(),
        },
        TooManyFields => RowProblem::TooManyFields {
            fields: 7,
            header: 6,
        },
        NoHeader => RowProblem::NoHeader { column: 7 },
        AlreadyImported => RowProblem::AlreadyImported {
            name: "decl.csv".into(),
            at: "2026-11-26T09:00:00Z".into(),
            id: 4,
        },
        Database => RowProblem::Database {
            problem: "Query returned no rows".into(),
        },
        Hostile => RowProblem::Hostile {
            found: '\u{202E}',
            multiline: true,
        },
        Empty => RowProblem::Empty,
        EmptyChoice => RowProblem::EmptyChoice {
            choices: Choices::Sex,
        },
        UnknownChoice => RowProblem::UnknownChoice {
            found: "bogus".into(),
            choices: Choices::Grade,
        },
        EmptyDate => RowProblem::EmptyDate,
        NotADate => RowProblem::NotADate {
            found: "2026-13-01".into(),
        },
        FutureDate => RowProblem::FutureDate { date: day(11, 27) },
        DateTooEarly => RowProblem::DateTooEarly {
            date: NaiveDate::from_ymd_opt(1899, 12, 31).unwrap(),
            earliest: 1900,
        },
        EndBeforeStart => RowProblem::EndBeforeStart {
            end: day(3, 1),
            start: day(9, 1),
        },
        NotANumber => RowProblem::NotANumber {
            found: "bogus".into(),
        },
        OutOfRange => RowProblem::OutOfRange {
            found: "0".into(),
            min: 0.5,
            max: 366.0,
        },
        NotAYear => RowProblem::NotAYear { found: 2020.5 },
        OffStep => RowProblem::OffStep {
            found: "1.3".into(),
            step: 0.5,
        },
        Duplicate => RowProblem::Duplicate {
            what: Keyed::IdNumber,
            first: 2,
        },
        PersonExists => RowProblem::PersonExists { id: masked() },
        OrganisationExists => RowProblem::OrganisationExists { code: code() },
        MemberExists => RowProblem::MemberExists {
            name: "张伟".into(),
        },
        DeclarationExists => RowProblem::DeclarationExists,
        RecordExists => RowProblem::RecordExists,
        NoSuchPerson => RowProblem::NoSuchPerson { id: masked() },
        UnknownOrganisation => RowProblem::UnknownOrganisation {
            code: code(),
            import_first: true,
        },
        BadIdNumber => RowProblem::BadIdNumber(IdError::Length(17)),
        IdAsNumber => RowProblem::IdAsNumber {
            found: "3.20102E+17".into(),
        },
        BadCreditCode => RowProblem::BadCreditCode {
            code: code(),
            error: CreditCodeError::Length(4),
        },
        NameTooLong => RowProblem::NameTooLong { max: 20 },
        SexDisagrees => RowProblem::SexDisagrees {
            found: "female".into(),
            id: Sex::Male,
        },
        GradeSinceMissing => RowProblem::GradeSinceMissing,
        GradeSinceWithoutGrade => RowProblem::GradeSinceWithoutGrade,
        InstructorGraded => RowProblem::InstructorGraded,
        PostTooYoung => RowProblem::PostTooYoung {
            start: day(3, 1),
            birth: NaiveDate::from_ymd_opt(2012, 5, 1).unwrap(),
            age: 16,
        },
        NotAPhone => RowProblem::NotAPhone {
            found: "12812345678".into(),
        },
        PinNotDigits => RowProblem::PinNotDigits { min: 4, max: 8 },
        WeakPin => RowProblem::WeakPin(PinError::TooShort { min: 6 }),
        BadKey => RowProblem::BadKey(KeyError::Empty),
        KeyTaken => RowProblem::KeyTaken {
            fingerprint: "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU".into(),
            member: "张伟".into(),
        },
    });
    all.extend(key_errors().into_iter().map(RowProblem::BadKey));
    all.extend(
        Kind::ALL
            .iter()
            .map(|&kind| RowProblem::UnknownColumn { kind }),
    );
    all.push(RowProblem::UnknownFileType { ext: String::new() });
    for choices in choices {
        all.push(RowProblem::EmptyChoice { choices });
        all.push(RowProblem::UnknownChoice {
            found: "bogus".into(),
            choices,
        });
    }
    all.extend(
        keyed
            .into_iter()
            .map(|what| RowProblem::Duplicate { what, first: 2 }),
    );
    all.push(RowProblem::UnknownOrganisation {
        code: code(),
        import_first: false,
    });
    all.extend(id_errors.into_iter().map(RowProblem::BadIdNumber));
    all.extend(
        credit_errors
            .into_iter()
            .map(|error| RowProblem::BadCreditCode {
                code: code(),
                error,
            }),
    );
    all.extend(pin_errors.into_iter().map(RowProblem::WeakPin));
    all
}

/// Each problem on its own, in a cell and in a whole row; then all of them at once,
/// more than a refusal lists.
fn import_errors() -> Vec<ImportError> {
    let row = |line, column: &str, problem| RowError {
        source: "decl.csv".into(),
        line,
        column: column.into(),
        problem,
    };
    let problems = row_problems();
    let mut all: Vec<ImportError> = problems
        .iter()
        .enumerate()
        .map(|(i, p)| ImportError {
            errors: vec![row(i + 2, "phone", p.clone()), row(i + 2, "", p.clone())],
        })
        .collect();
    all.push(ImportError {
        errors: problems
            .iter()
            .cycle()
            .take(60)
            .enumerate()
            .map(|(i, p)| row(i + 2, "name_en", p.clone()))
            .collect(),
    });
    all
}

fn refusals() -> Vec<Refusal> {
    let fields = samples!(Field {
        Reason => Field::Reason,
        OverrideReason => Field::OverrideReason,
        Visitors => Field::Visitors,
        VisitFindings => Field::VisitFindings,
        Criterion => Field::Criterion,
        Comment => Field::Comment,
        ConflictKind => Field::ConflictKind,
        ConflictReason => Field::ConflictReason,
        ObjectionContent => Field::ObjectionContent,
        ObjectorName => Field::ObjectorName,
        ObjectorContact => Field::ObjectorContact,
        ObjectionFindings => Field::ObjectionFindings,
        WithdrawalNote => Field::WithdrawalNote,
        Verifier => Field::Verifier,
        DecisionReason => Field::DecisionReason,
        InspectionReason => Field::InspectionReason,
        NewOrganisation => Field::NewOrganisation,
        NewPosition => Field::NewPosition,
        MeetingPlace => Field::MeetingPlace,
    });
    let works = samples!(EvalWork {
        Scoring => EvalWork::Scoring,
        Changing => EvalWork::Changing,
        Commenting => EvalWork::Commenting,
        Submitting => EvalWork::Submitting,
        Finalising => EvalWork::Finalising,
    });
    let problem = || RuleProblem {
        path: "grades.senior.min_years".into(),
        message: "must be >= 0".into(),
    };
    let mut all = samples!(Refusal {
        HostileText => Refusal::HostileText {
            field: Field::Reason,
            found: '\u{1b}',
            multiline: true,
        },
        ApplicationChanged => Refusal::ApplicationChanged { name: "张伟".into() },
        ReopenThroughResult => Refusal::ReopenThroughResult,
        CertifiedByClosingNotice => Refusal::CertifiedByClosingNotice,
        ResultFromScores => Refusal::ResultFromScores,
        OverrideNeedsReason => Refusal::OverrideNeedsReason,
        OverrideOnlyAtReview => Refusal::OverrideOnlyAtReview { at: Stage::Test },
        TestScoreOnlyAtTest => Refusal::TestScoreOnlyAtTest { at: Stage::Review },
        TestScoreOutOfRange => Refusal::TestScoreOutOfRange {
            score: 100.5,
            max: 100.0,
        },
        VisitOnlyAtSiteVisit => Refusal::VisitOnlyAtSiteVisit {
            at: Stage::Evaluation,
        },
        VisitIncomplete => Refusal::VisitIncomplete,
        VisitInFuture => Refusal::VisitInFuture { on: day(12, 1) },
        ScoringAlreadyOpen => Refusal::ScoringAlreadyOpen,
        ScoringNotOpen => Refusal::ScoringNotOpen,
        ScoringClosed => Refusal::ScoringClosed { meanwhile: false },
        ScoringStillOpen => Refusal::ScoringStillOpen,
        MeetingAlreadyOpen => Refusal::MeetingAlreadyOpen,
        NoMeeting => Refusal::NoMeeting,
        NoMeetingHeld => Refusal::NoMeetingHeld,
        MeetingNeedsScoring => Refusal::MeetingNeedsScoring,
        NotOnAgenda => Refusal::NotOnAgenda { name: "张伟".into() },
        NoCandidateNow => Refusal::NoCandidateNow,
        NotAllSubmitted => Refusal::NotAllSubmitted { have: 4, need: 6 },
        DiscussionFirst => Refusal::DiscussionFirst { name: "张伟".into() },
        RevisionRoundClosed => Refusal::RevisionRoundClosed { name: "张伟".into() },
        NoTurnExtension => Refusal::NoTurnExtension,
        NotInEvaluation => Refusal::NotInEvaluation {
            work: EvalWork::Scoring,
            name: "张伟".into(),
            at: Position {
                stage: Stage::Notice,
                status: Status::Active,
            },
        },
        FinalisedMeanwhile => Refusal::FinalisedMeanwhile,
        UnknownCriterion => Refusal::UnknownCriterion { key: "charm".into() },
        ValueOutOfRange => Refusal::ValueOutOfRange {
            criterion: "政治素质".into(),
            max: 20.0,
            step: 0.5,
        },
        UnknownConflictKind => Refusal::UnknownConflictKind {
            kind: "friend".into(),
        },
        ConflictNeedsReason => Refusal::ConflictNeedsReason,
        SheetSubmittedNeedsReason => Refusal::SheetSubmittedNeedsReason,
        ChangeNeedsReason => Refusal::ChangeNeedsReason,
        SheetNotSubmitted => Refusal::SheetNotSubmitted,
        CommentBeforeValue => Refusal::CommentBeforeValue,
        SheetIncomplete => Refusal::SheetIncomplete {
            missing: vec!["业务水平".into(), "任职年限".into()],
        },
        AlreadySubmitted => Refusal::AlreadySubmitted,
        NoSubmittedSheets => Refusal::NoSubmittedSheets,
        QuorumNotMet => Refusal::QuorumNotMet { have: 4, need: 5 },
        NoticeInPast => Refusal::NoticeInPast {
            start: day(11, 23),
            today: day(11, 24),
        },
        NoCandidateWaiting => Refusal::NoCandidateWaiting,
        ObjectionNeedsContent => Refusal::ObjectionNeedsContent,
        ObjectionNeedsName => Refusal::ObjectionNeedsName,
        ObjectionInFuture => Refusal::ObjectionInFuture {
            received: day(11, 26),
        },
        ObjectionBeforeNotice => Refusal::ObjectionBeforeNotice {
            received: day(11, 20),
            start: day(11, 23),
            end: day(11, 27),
        },
        NotInNotice => Refusal::NotInNotice { name: "李娜".into() },
        ObjectionChanged => Refusal::ObjectionChanged,
        BadObjectionState => Refusal::BadObjectionState { id: 7 },
        NoGradeDate => Refusal::NoGradeDate { name: "钱军".into() },
        InspectionYear => Refusal::InspectionYear {
            number: "NJ-2026-G-0001".into(),
            from: 2026,
            to: 2027,
        },
        NoCertificateHeld => Refusal::NoCertificateHeld { person: 3 },
        FilingDate => Refusal::FilingDate {
            change: day(10, 1),
            filed: day(9, 30),
        },
        JobChangeEmpty => Refusal::JobChangeEmpty,
        BadRules => Refusal::BadRules {
            problems: vec![problem(), problem()],
        },
        CycleExists => Refusal::CycleExists {
            city: "南京市".into(),
            year: 2026,
            id: 1,
        },
        StoredRulesBroken => Refusal::StoredRulesBroken {
            cycle: 1,
            problem: problem(),
        },
        BadCycleDate => Refusal::BadCycleDate {
            cycle: 1,
            date: "2026-13-01".into(),
        },
        BadRole => Refusal::BadRole {
            member: 4,
            role: "bogus".into(),
        },
        UnknownFixture => Refusal::UnknownFixture {
            name: "widgets".into(),
        },
        BadFixture => Refusal::BadFixture {
            name: "widgets".into(),
            problem: "found record with 3 fields, but the previous record has 2 fields".into(),
        },
        DemoNeedsChairAndSecretary => Refusal::DemoNeedsChairAndSecretary,
        TooFewGenerated => Refusal::TooFewGenerated { have: 12, want: 40 },
        NotExported => Refusal::NotExported {
            problem: "No such file or directory".into(),
        },
        CopyFailsCheck => Refusal::CopyFailsCheck { faults: 2 },
        BadKey => Refusal::BadKey {
            file: "chen.pub".into(),
            line: 2,
            problem: KeyError::Several { count: 2 },
        },
        KeyTaken => Refusal::KeyTaken {
            fingerprint: "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU".into(),
            member: "张伟".into(),
        },
        UnquotablePath => Refusal::UnquotablePath {
            path: "/srv/pingshen/a\"b.sqlite3".into(),
        },
    });
    for (line, problem) in key_errors().into_iter().enumerate() {
        all.push(Refusal::BadKey {
            file: "chen.pub".into(),
            line,
            problem,
        });
    }
    for (field, found) in fields
        .into_iter()
        .zip(['\u{1b}', '\u{202e}', '\n'].iter().cycle())
    {
        for multiline in [false, true] {
            all.push(Refusal::HostileText {
                field,
                found: *found,
                multiline,
            });
        }
    }
    all.push(Refusal::ScoringClosed { meanwhile: true });
    for (work, at) in works.into_iter().zip(positions()) {
        all.push(Refusal::NotInEvaluation {
            work,
            name: "张伟".into(),
            at,
        });
    }
    all
}

fn missing() -> Vec<Missing> {
    samples!(Missing {
        Application => Missing::Application(1),
        Person => Missing::Person(2),
        Member => Missing::Member(3),
        Cycle => Missing::Cycle(4),
        Notice => Missing::Notice(5),
        Objection => Missing::Objection(6),
        Certificate => Missing::Certificate(7),
        Meeting => Missing::Meeting(3),
        MemberNamed => Missing::MemberNamed {
            key: "王某".into(),
            known: vec![(1, "张伟".into()), (2, "李娜".into())],
        },
        NoNotice => Missing::NoNotice,
        NoCycle => Missing::NoCycle,
        NotACandidate => Missing::NotACandidate {
            app: 9,
            cycle: "南京市 2026 年度认证".into(),
        },
        Key => Missing::Key {
            key: "SHA256:47DEQpj8HBSa+/TImW+5JCeuQeRkm5NMpJWZG3hSuFU".into(),
        },
    })
}

/// Every refusal of a public key, with every key type.
fn key_errors() -> Vec<KeyError> {
    let mut all = samples!(KeyError {
        Empty => KeyError::Empty,
        Several => KeyError::Several { count: 3 },
        TooLong => KeyError::TooLong { max: 16384 },
        PrivateKey => KeyError::PrivateKey,
        Options => KeyError::Options {
            found: "from=\"10.0.0.1\",no-pty".into(),
        },
        UnknownType => KeyError::UnknownType {
            found: "ssh-dss".into(),
        },
        NoKeyData => KeyError::NoKeyData {
            kind: KeyType::Ed25519,
        },
        NotBase64 => KeyError::NotBase64 { at: Some(5) },
        TypeMismatch => KeyError::TypeMismatch {
            line: "ssh-rsa".into(),
            blob: "ssh-ed25519".into(),
        },
        Malformed => KeyError::Malformed {
            kind: KeyType::EcdsaP256,
        },
        RsaTooShort => KeyError::RsaTooShort {
            bits: 1024,
            min: 2048,
        },
        HostileComment => KeyError::HostileComment { found: '\u{1b}' },
    });
    all.push(KeyError::NotBase64 { at: None });
    for kind in KeyType::ALL {
        all.push(KeyError::NoKeyData { kind });
        all.push(KeyError::Malformed { kind });
    }
    all
}

/// Every deed, listed so that a new one must be named here.
fn deeds() -> Vec<Deed> {
    samples!(Deed {
        PassApplication => Deed::PassApplication,
        ReturnApplication => Deed::ReturnApplication,
        RejectApplication => Deed::RejectApplication,
        RecordFailedTest => Deed::RecordFailedTest,
        RefuseCertification => Deed::RefuseCertification,
        OverrideEligibility => Deed::OverrideEligibility,
        RecordTestScore => Deed::RecordTestScore,
        RecordSiteVisit => Deed::RecordSiteVisit,
        RevealIds => Deed::RevealIds,
        OpenScoring => Deed::OpenScoring,
        CloseScoring => Deed::CloseScoring,
        Score => Deed::Score,
        DeclareConflict => Deed::DeclareConflict,
        DeclareConflictForOthers => Deed::DeclareConflictForOthers,
        SeeProgress => Deed::SeeProgress,
        SeeConflicts => Deed::SeeConflicts,
        SeeResults => Deed::SeeResults,
        FinaliseResult => Deed::FinaliseResult,
        ReopenResult => Deed::ReopenResult,
        RunMeeting => Deed::RunMeeting,
        ExportMinutes => Deed::ExportMinutes,
        StartNotice => Deed::StartNotice,
        CloseNotice => Deed::CloseNotice,
        RecordObjection => Deed::RecordObjection,
        RevealObjectorContact => Deed::RevealObjectorContact,
        VerifyObjection => Deed::VerifyObjection,
        ConcludeObjection => Deed::ConcludeObjection,
        DecideObjection => Deed::DecideObjection,
        EnterPriorCertificate => Deed::EnterPriorCertificate,
        RecordInspection => Deed::RecordInspection,
        RevokeGrade => Deed::RevokeGrade,
        ChangeCertificateStatus => Deed::ChangeCertificateStatus,
        RecordJobChange => Deed::RecordJobChange,
        CreateCycle => Deed::CreateCycle,
        ImportData => Deed::ImportData,
        ExportScores => Deed::ExportScores,
        ExportOthersSheet => Deed::ExportOthersSheet,
        ExportAudit => Deed::ExportAudit,
        BackUp => Deed::BackUp,
        Restore => Deed::Restore,
        ManageKeys => Deed::ManageKeys,
    })
}

fn service_errors() -> Vec<ServiceError> {
    let mut all = samples!(ServiceError {
        Forbidden => ServiceError::Forbidden {
            role: Role::Secretary,
            deed: Deed::PassApplication,
        },
        NotLoggedIn => ServiceError::NotLoggedIn { deed: Deed::Score },
        Recused => ServiceError::Recused {
            app: 3,
            why: Recusal::SameOrganisation,
        },
        ScoresSealed => ServiceError::ScoresSealed { app: 3 },
        WrongPin => ServiceError::WrongPin,
        Locked => ServiceError::Locked("10:42:05".into()),
        NotFound => ServiceError::NotFound(Missing::NoNotice),
        NoOpenCycle => ServiceError::NoOpenCycle,
        Invalid => ServiceError::Invalid(Refusal::QuorumNotMet { have: 4, need: 5 }),
        Transition => ServiceError::Transition(TransitionError::NoVisit),
        Notice => ServiceError::Notice(NoticeError::Closed),
        Certificate => ServiceError::Certificate(CertificateError::AlreadyInspected(2026)),
        Calendar => ServiceError::Calendar(CalendarError::MissingYear(2027)),
        Import => ServiceError::Import(import_errors().remove(0)),
        Store => ServiceError::Store(StoreError::Locked("/tmp/p.sqlite3".into())),
    });
    for deed in deeds() {
        for role in Role::ALL {
            if !may(*role, deed) {
                all.push(ServiceError::Forbidden { role: *role, deed });
            }
        }
        all.push(ServiceError::NotLoggedIn { deed });
    }
    all.extend(
        recusals()
            .into_iter()
            .map(|why| ServiceError::Recused { app: 3, why }),
    );
    all.extend(missing().into_iter().map(ServiceError::NotFound));
    all.extend(refusals().into_iter().map(ServiceError::Invalid));
    all.extend(
        transition_errors()
            .into_iter()
            .map(ServiceError::Transition),
    );
    all.extend(notice_errors().into_iter().map(ServiceError::Notice));
    all.extend(
        certificate_errors()
            .into_iter()
            .map(ServiceError::Certificate),
    );
    all.extend(import_errors().into_iter().map(ServiceError::Import));
    all.extend(store_errors().into_iter().map(ServiceError::Store));
    all
}

#[test]
fn the_deeds_listed_here_are_all_the_deeds() {
    assert_eq!(deeds(), Deed::ALL);
}

#[test]
fn every_refusal_reads_in_chinese_and_in_english() {
    let all = service_errors();
    assert!(all.len() > 300, "{}", all.len());
    for e in &all {
        reads_in_both(&format!("{e:?}"), &e.zh(), &e.en());
        assert_eq!(e.en(), e.to_string());
    }
}

#[test]
fn the_nested_errors_read_in_both_languages_on_their_own() {
    for e in transition_errors() {
        reads_in_both(&format!("{e:?}"), &e.zh(), &e.en());
    }
    for e in notice_errors() {
        reads_in_both(&format!("{e:?}"), &e.zh(), &e.en());
    }
    for e in certificate_errors() {
        reads_in_both(&format!("{e:?}"), &e.zh(), &e.en());
    }
    let e = CalendarError::MissingYear(2027);
    reads_in_both(&format!("{e:?}"), &e.zh(), &e.en());
    for p in row_problems() {
        reads_in_both(&format!("{p:?}"), &p.zh(), &p.en());
        assert_eq!(p.en(), p.to_string());
    }
    for e in import_errors() {
        reads_in_both(&format!("{e:?}"), &e.zh(), &e.en());
        for row in &e.errors {
            reads_in_both(&format!("{row:?}"), &row.zh(), &row.en());
        }
    }
    for e in store_errors() {
        reads_in_both(&format!("{e:?}"), &e.zh(), &e.en());
    }
    for r in recusals() {
        reads_in_both(&format!("{r:?}"), &r.zh(), &r.en());
    }
    for m in missing() {
        reads_in_both(&format!("{m:?}"), &m.zh(), &m.en());
    }
    for e in key_errors() {
        reads_in_both(&format!("{e:?}"), &e.zh(), &e.en());
        assert_eq!(e.en(), e.to_string());
    }
}

#[test]
fn a_refused_role_reads_as_the_role_the_deed_and_who_may() {
    let e = ServiceError::Forbidden {
        role: Role::Secretary,
        deed: Deed::PassApplication,
    };
    assert_eq!(
        e.en(),
        "not allowed: the secretary may not pass an application to the next stage"
    );
    assert_eq!(
        e.zh(),
        "无权操作：秘书不能将申请转入下一环节（限主任委员、委员）"
    );
    let e = ServiceError::NotLoggedIn {
        deed: Deed::RevealIds,
    };
    assert_eq!(
        e.en(),
        "not allowed: only the chair or the secretary, logged in, may reveal ID numbers"
    );
    assert_eq!(
        e.zh(),
        "须以主任委员或秘书身份登录才能查看完整证件号码、电话和住址"
    );
}
