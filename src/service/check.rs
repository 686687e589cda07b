//! `pingshen check`: SQLite's integrity and foreign-key checks and the audit chain.

use super::{Result, Service};
use crate::store::audit;

/// What the checks found.
#[derive(Debug, Clone, Default)]
pub struct CheckReport {
    pub integrity: Vec<String>,
    pub foreign_keys: Vec<String>,
    pub audit_rows: usize,
    pub audit_faults: Vec<String>,
    /// Rows of the committee's tables that differ from what the log recorded.
    pub data_faults: Vec<String>,
    /// The log's last row, as an anchor to write down.
    pub audit_head: Option<audit::Anchor>,
    /// The anchors given that the log still holds unchanged.
    pub anchors_held: Vec<audit::Anchor>,
}

impl CheckReport {
    pub fn ok(&self) -> bool {
        self.integrity.is_empty()
            && self.foreign_keys.is_empty()
            && self.audit_faults.is_empty()
            && self.data_faults.is_empty()
    }
}

impl Service {
    /// Runs every check, and confirms that each anchor written down earlier (see
    /// [`audit::head`]) is still in the log unchanged.
    pub fn check(&self, anchors: &[audit::Anchor]) -> Result<CheckReport> {
        let conn = self.conn();
        let mut report = CheckReport::default();
        let mut stmt = conn.prepare("PRAGMA integrity_check")?;
        for line in stmt.query_map([], |r| r.get::<_, String>(0))? {
            let line = line?;
            if line != "ok" {
                report.integrity.push(line);
            }
        }
        let mut stmt = conn.prepare("PRAGMA foreign_key_check")?;
        let rows = stmt.query_map([], |r| {
            Ok(format!(
                "{} row {} refers to a missing {} row",
                r.get::<_, String>(0)?,
                r.get::<_, Option<i64>>(1)?
                    .map(|i| i.to_string())
                    .unwrap_or_default(),
                r.get::<_, String>(2)?
            ))
        })?;
        for row in rows {
            report.foreign_keys.push(row?);
        }
        let (n, faults) = audit::verify(conn)?;
        report.audit_rows = n;
        report.audit_faults = faults
            .iter()
            .map(|f| format!("audit row {}: {}", f.id, f.problem))
            .collect();
        report.data_faults = audit::replay(conn)?
            .iter()
            .map(|f| f.problem.clone())
            .collect();
        for anchor in anchors {
            match audit::check_anchor(conn, anchor)? {
                Some(f) => report
                    .audit_faults
                    .push(format!("audit row {}: {}", f.id, f.problem)),
                None => report.anchors_held.push(anchor.clone()),
            }
        }
        report.audit_head = audit::head(conn)?.map(|(id, hash)| audit::Anchor { id, hash });
        Ok(report)
    }
}
