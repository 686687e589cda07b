//! Files travel both ways: every kind an import takes has an export in exactly the
//! import's columns, which imports back unchanged into a fresh database, in CSV,
//! .xlsx and JSON; what a masked file withholds stays withheld.

mod common;
use common::{demo_as, login, pin_of};
use pingshen::domain::rules::DEMO_RULES;
use pingshen::service::export::{import_shaped, ExportKind};
use pingshen::service::files::{self, Format};
use pingshen::service::members::PinPolicy;
use pingshen::service::{Kind, Service, ServiceError};
use pingshen::store::Store;
use pingshen::table::Table;
use std::path::Path;

/// A table written as a file in `format` into `dir` and read back, as an import
/// reads it.
fn through_file(dir: &Path, table: &Table, format: Format) -> Table {
    let ext = match format {
        Format::Csv => "csv",
        Format::Json => "json",
        Format::Xlsx => "xlsx",
        _ => unreachable!("table formats only"),
    };
    let path = dir.join(format!("{}.{ext}", table.source));
    files::write_atomically(&path, &files::table_bytes(table, format).unwrap()).unwrap();
    files::read_table(&path).unwrap()
}

fn cells(t: &Table) -> (Vec<String>, Vec<Vec<String>>) {
    (
        t.headers.clone(),
        t.rows.iter().map(|r| r.cells.clone()).collect(),
    )
}

/// The committee file with each member's demo PIN written in, as the secretary
/// would before importing it.
fn with_pins(mut t: Table) -> Table {
    let (name, pin) = (t.column("name").unwrap(), t.column("pin").unwrap());
    for r in &mut t.rows {
        assert_eq!(r.cells[pin], "", "no PIN leaves");
        r.cells[pin] = pin_of(&r.cells[name]);
    }
    t
}

#[test]
fn every_import_kind_exports_in_its_columns_and_imports_back_unchanged() {
    let mut svc = demo_as(Some("吴婷"));
    let cycle = svc.open_cycle().unwrap();
    let first: Vec<(Kind, Table)> = Kind::ALL
        .into_iter()
        .map(|k| (k, svc.export_for_import(k, true).unwrap()))
        .collect();
    for (kind, t) in &first {
        let keys: Vec<&str> = kind.columns().iter().map(|c| c.key).collect();
        assert_eq!(t.headers, keys, "{kind:?}: the import's columns");
        assert!(!t.rows.is_empty(), "{kind:?}: the demo has rows");
    }
    for format in [Format::Csv, Format::Xlsx, Format::Json] {
        let dir = tempfile::tempdir().unwrap();
        let mut fresh = Service::system(Store::open_in_memory().unwrap(), "test");
        fresh.set_clock(svc.clock());
        fresh.set_pin_policy(PinPolicy::demo());
        fresh
            .create_cycle(DEMO_RULES, cycle.year, cycle.cycle_date)
            .unwrap();
        for (kind, t) in &first {
            let mut file = through_file(dir.path(), t, format);
            if *kind == Kind::Committee {
                file = with_pins(file);
            }
            let report = fresh
                .import(*kind, &file)
                .unwrap_or_else(|e| panic!("{kind:?} as {format:?}: {e}"));
            assert_eq!(report.rows, t.len(), "{kind:?} as {format:?}");
        }
        let mut fresh = login(fresh, "吴婷");
        for (kind, t) in &first {
            let again = fresh.export_for_import(*kind, true).unwrap();
            assert_eq!(cells(&again), cells(t), "{kind:?} through {format:?}");
            if format == Format::Xlsx {
                // A workbook stamps its making; what it holds is the same.
                let (a, b) = (dir.path().join("a"), dir.path().join("b"));
                std::fs::create_dir_all(&a).unwrap();
                std::fs::create_dir_all(&b).unwrap();
                assert_eq!(
                    cells(&through_file(&a, &again, format)),
                    cells(&through_file(&b, t, format)),
                    "{kind:?}: the same workbook again"
                );
            } else {
                assert_eq!(
                    files::table_bytes(&again, format).unwrap(),
                    files::table_bytes(t, format).unwrap(),
                    "{kind:?}: the same {format:?} file again"
                );
            }
        }
    }
}

#[test]
fn masked_files_withhold_ids_phones_addresses_and_pins_and_do_not_import() {
    let mut svc = demo_as(Some("陈静怡"));
    let persons = svc.export_for_import(Kind::Persons, false).unwrap();
    let (id, phone, address) = (
        persons.column("id_number").unwrap(),
        persons.column("phone").unwrap(),
        persons.column("address").unwrap(),
    );
    for r in &persons.rows {
        assert!(r.cells[id].starts_with(&"*".repeat(14)), "{:?}", r.cells);
        assert!(r.cells[phone].is_empty() || r.cells[phone].starts_with('*'));
        assert_eq!(r.cells[address], "", "home addresses stay in");
    }
    for kind in Kind::ALL {
        let t = svc.export_for_import(kind, false).unwrap();
        for r in &t.rows {
            for c in &r.cells {
                assert!(!c.contains("$argon2"), "{kind:?}: a PIN hash left");
            }
        }
    }
    // A member may not reveal, and a masked file does not import back.
    assert!(matches!(
        svc.export_for_import(Kind::Education, true),
        Err(ServiceError::Forbidden { .. })
    ));
    let mut fresh = Service::system(Store::open_in_memory().unwrap(), "test");
    fresh.set_clock(svc.clock());
    let orgs = svc.export_for_import(Kind::Organisations, false).unwrap();
    fresh.import(Kind::Organisations, &orgs).unwrap();
    assert!(matches!(
        fresh.import(Kind::Persons, &persons),
        Err(ServiceError::Import(_))
    ));
}

#[test]
fn revealing_in_a_file_is_audited_and_the_names_are_kept_apart() {
    let mut svc = demo_as(Some("周明远"));
    let before = common::rows_in(&svc, "audit");
    let t = svc.export_for_import(Kind::Pay, true).unwrap();
    assert_eq!(common::rows_in(&svc, "audit"), before + 1);
    assert_eq!(
        common::last_action(&svc),
        ("reveal_ids".to_string(), "export".to_string())
    );
    assert!(!t.is_empty());
    svc.export_for_import(Kind::Organisations, false).unwrap();
    assert_eq!(
        common::rows_in(&svc, "audit"),
        before + 1,
        "masked: not audited"
    );
    // `persons` stays the register; `persons-import` is the file to import back.
    assert_eq!(import_shaped("persons"), None);
    assert_eq!(ExportKind::parse("persons"), Some(ExportKind::Persons));
    assert_eq!(import_shaped("persons-import"), Some(Kind::Persons));
    assert_eq!(import_shaped("organisations"), Some(Kind::Organisations));
    assert_eq!(import_shaped("work_history"), Some(Kind::WorkHistory));
    assert_eq!(import_shaped("scores"), None);
}
