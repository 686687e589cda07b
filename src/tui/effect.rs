//! What a screen asks the runtime to do: writes and loads through the service. Their
//! results come back to the screens as events.

use crate::domain::stage::Transition;
use crate::service::applications::Rating;
use chrono::NaiveDate;

/// What the runtime must do for the state.
#[derive(Debug, Clone, PartialEq)]
pub enum Effect {
    /// Log in the member with the PIN.
    Login {
        member: i64,
        pin: String,
    },
    /// Reload the counts and the rows of the current stage.
    Reload,
    /// Load the detail of an application.
    LoadDetail(i64),
    Transition {
        app: i64,
        transition: Transition,
    },
    Override {
        app: i64,
        reason: String,
    },
    Score {
        app: i64,
        score: f64,
    },
    Visit {
        app: i64,
        date: NaiveDate,
        visitors: String,
        findings: String,
        rating: Rating,
    },
    /// Load the acting member's sheet for the panel.
    LoadSheet(i64),
    SaveScore {
        app: i64,
        criterion: String,
        value: f64,
    },
    Revise {
        app: i64,
        criterion: String,
        value: f64,
        reason: String,
    },
    Comment {
        app: i64,
        criterion: String,
        text: String,
    },
    /// Submit the sheet, first giving 0 to the criteria listed.
    SubmitSheet {
        app: i64,
        zero: Vec<String>,
    },
    OpenScoring,
    CloseScoring,
    /// Load the progress board, the results and the ranking.
    LoadOverview,
    /// Open a person's file.
    OpenFile(i64),
    StartNotice(NaiveDate),
    RecordObjection(crate::service::notice::NewObjection),
    ObjectionStep {
        id: i64,
        step: crate::domain::notice::Step,
    },
    Decide {
        id: i64,
        decision: crate::domain::notice::Decision,
        reason: String,
    },
    CloseNotice(i64),
    Export {
        what: ExportWhat,
        format: crate::service::files::Format,
    },
    Inspection {
        certificate: i64,
        year: i32,
        assessment: crate::domain::Assessment,
        reason: String,
    },
    JobChange(crate::service::certificates::NewJobChange),
    /// Load the objection register, the certificates and (for a year) the allowance
    /// roll.
    LoadRegisters {
        allowance: Option<i32>,
    },
    /// Search the personnel files (on the search thread).
    Search(String),
    /// Reveal the file's ID number, phone and address (audited).
    Reveal(i64),
    /// Reveal an objector's full contact (audited).
    RevealContact(i64),
    Finalise(i64),
    Reopen {
        app: i64,
        reason: String,
    },
    Conflict {
        member: i64,
        app: i64,
        kind: &'static str,
        reason: String,
    },
    Quit,
}

/// The registers of stage 6 as loaded.
#[derive(Debug, Clone, PartialEq)]
pub struct RegisterData {
    pub objections: Vec<crate::service::notice::ObjectionRow>,
    pub certificates: Vec<crate::service::certificates::CertificateRow>,
    pub allowance: Option<crate::service::certificates::AllowanceRoll>,
}

/// The acting member's score sheet for a candidate as loaded.
#[derive(Debug, Clone, PartialEq)]
pub enum SheetData {
    Sheet(crate::service::evaluation::MySheet),
    /// The member is recused from the candidate: why.
    Recused(crate::domain::Recusal),
}

/// The chair's and the secretary's screens of stage 5 as loaded.
#[derive(Debug, Clone, PartialEq)]
pub struct OverviewData {
    /// The scoring session (the stage list shows it too).
    pub session: crate::service::evaluation::Session,
    pub progress: crate::service::evaluation::Progress,
    pub conflicts: Vec<crate::service::evaluation::ConflictRow>,
    pub results: Vec<crate::service::evaluation::ResultRow>,
    pub ranking: Vec<(
        crate::domain::Grade,
        Vec<crate::service::evaluation::RankRow>,
    )>,
}

/// A save of the score sheet that failed.
#[derive(Debug, Clone, PartialEq)]
pub struct SaveFailure {
    /// The save: `SaveScore`, `Revise` or `Comment`.
    pub effect: Effect,
    /// Tries so far.
    pub tries: u32,
    /// The database was held by another connection, so nothing was written.
    pub busy: bool,
    /// The refusal, in the interface language.
    pub error: String,
}

/// A stage as loaded for the list.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct ListData {
    pub counts: [usize; 7],
    pub rows: Vec<crate::service::board::AppRow>,
    /// Stage 6: the newest notice (`None` when it was not read).
    pub notice: Option<Option<crate::service::notice::NoticeView>>,
    /// Stage 5: the scoring session and the acting member's own sheets (read only
    /// there), and the chair's board when the member may see it.
    pub session: Option<crate::service::evaluation::Session>,
    pub my_cells: std::collections::HashMap<i64, crate::service::evaluation::Cell>,
    pub progress: Option<crate::service::evaluation::Progress>,
}

/// What the runtime hands back to the screens: the result of an effect.
#[derive(Debug, Clone)]
pub enum Event {
    /// The stage list.
    List(Box<ListData>),
    /// The details of an application.
    Detail(Box<crate::service::board::Detail>),
    /// A personnel file read.
    File(Box<crate::service::persons::PersonFile>),
    /// A file's ID number, phone and address revealed (and audited).
    Revealed {
        person: i64,
        revealed: crate::service::persons::Revealed,
    },
    Registers(RegisterData),
    /// The score sheet for an application, loaded.
    Sheet {
        app: i64,
        sheet: SheetData,
    },
    /// The score sheet for an application could not be loaded (the runtime says why).
    SheetRefused(i64),
    /// A write went through at `at` (the local time); `sheet` is the save of the score
    /// sheet it was, if it was one.
    Saved {
        at: String,
        sheet: Option<Effect>,
    },
    /// A save of the score sheet failed.
    SaveFailed(SaveFailure),
    /// The progress board, the results and the ranking, loaded.
    Overview(OverviewData),
    /// An objector's contact, revealed (and audited).
    ContactRevealed {
        objection: i64,
        contact: String,
    },
}

/// Which register an export is of.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportWhat {
    Notice,
    Objections,
    Certificates,
    Allowance(i32),
}
