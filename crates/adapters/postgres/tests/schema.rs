//! `src/schema.rs` is written by hand: this test holds it to the migrated database. Every table
//! it declares must exist with exactly its columns (names, SQL types, nullability) and its
//! primary key, so a migration that renames, retypes or adds a column fails here, not at the
//! first query in production.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::BTreeMap;

use diesel::sql_types::Text;
use diesel_async::RunQueryDsl;
use sakura_postgres::{connect, run_migrations};
use sakura_test_services::TestDatabase;

/// A column as either side describes it: SQL type (PostgreSQL's `udt_name`) and nullability.
#[derive(Debug, Clone, PartialEq, Eq)]
struct Column {
    sql_type: String,
    nullable: bool,
}

#[derive(Debug, Default, PartialEq, Eq)]
struct Table {
    primary_key: Vec<String>,
    columns: BTreeMap<String, Column>,
}

/// diesel's name of a SQL type → PostgreSQL's `udt_name`.
fn udt_name(diesel_type: &str) -> String {
    if let Some(element) = diesel_type
        .strip_prefix("Array<")
        .and_then(|rest| rest.strip_suffix('>'))
    {
        return format!("_{}", udt_name(element));
    }
    match diesel_type {
        "Uuid" => "uuid",
        "Text" | "Varchar" => "text",
        "Int2" | "SmallInt" => "int2",
        "Int4" | "Integer" => "int4",
        "Int8" | "BigInt" => "int8",
        "Float4" => "float4",
        "Float8" | "Double" => "float8",
        "Bool" => "bool",
        "Date" => "date",
        "Timestamptz" => "timestamptz",
        "Timestamp" => "timestamp",
        "Jsonb" => "jsonb",
        "Json" => "json",
        "Bytea" | "Binary" => "bytea",
        "Tsvector" => "tsvector",
        other => panic!("schema.rs uses {other}: teach this test its PostgreSQL name"),
    }
    .to_owned()
}

/// The tables `schema.rs` declares, read from its `diesel::table!` blocks.
fn declared() -> BTreeMap<String, Table> {
    let source = include_str!("../src/schema.rs");
    let mut tables = BTreeMap::new();
    let mut current: Option<(String, Table)> = None;
    for line in source.lines().map(str::trim) {
        if line.is_empty() || line.starts_with("//") || line.starts_with("#[") {
            continue;
        }
        if let Some((name, table)) = current.as_mut() {
            if line == "}" {
                let (name, table) = current.take().expect("a table");
                tables.insert(name, table);
                continue;
            }
            let (column, sql_type) = line
                .trim_end_matches(',')
                .split_once(" -> ")
                .unwrap_or_else(|| panic!("{name}: cannot read the column line {line:?}"));
            let (sql_type, nullable) = match sql_type
                .strip_prefix("Nullable<")
                .and_then(|rest| rest.strip_suffix('>'))
            {
                Some(inner) => (inner, true),
                None => (sql_type, false),
            };
            table.columns.insert(
                column.trim().to_owned(),
                Column {
                    sql_type: udt_name(sql_type.trim()),
                    nullable,
                },
            );
        } else if let Some((name, key)) = line
            .strip_suffix('{')
            .map(str::trim)
            .and_then(|head| head.split_once(" ("))
        {
            let key = key.trim_end_matches(')');
            let table = Table {
                primary_key: key.split(',').map(|k| k.trim().to_owned()).collect(),
                columns: BTreeMap::new(),
            };
            current = Some((name.trim().to_owned(), table));
        }
    }
    assert!(current.is_none(), "schema.rs: a table! block is not closed");
    tables
}

#[derive(diesel::QueryableByName)]
struct ColumnRow {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
    #[diesel(sql_type = Text)]
    udt_name: String,
    #[diesel(sql_type = Text)]
    is_nullable: String,
}

#[derive(diesel::QueryableByName)]
struct KeyRow {
    #[diesel(sql_type = Text)]
    table_name: String,
    #[diesel(sql_type = Text)]
    column_name: String,
}

/// The tables of the migrated database's `public` schema.
async fn migrated(url: &str) -> BTreeMap<String, Table> {
    let pool = connect(url, 1).expect("a pool");
    let mut conn = pool.get().await.expect("a connection");
    let columns: Vec<ColumnRow> = diesel::sql_query(
        "SELECT table_name::text, column_name::text, udt_name::text, is_nullable::text \
         FROM information_schema.columns \
         WHERE table_schema = 'public' AND table_name <> '__diesel_schema_migrations'",
    )
    .load(&mut conn)
    .await
    .expect("columns");
    let keys: Vec<KeyRow> = diesel::sql_query(
        "SELECT k.table_name::text, k.column_name::text \
         FROM information_schema.table_constraints c \
         JOIN information_schema.key_column_usage k \
           ON k.constraint_name = c.constraint_name AND k.table_schema = c.table_schema \
         WHERE c.table_schema = 'public' AND c.constraint_type = 'PRIMARY KEY' \
         ORDER BY k.table_name, k.ordinal_position",
    )
    .load(&mut conn)
    .await
    .expect("primary keys");
    let mut tables: BTreeMap<String, Table> = BTreeMap::new();
    for row in columns {
        tables.entry(row.table_name).or_default().columns.insert(
            row.column_name,
            Column {
                sql_type: row.udt_name,
                nullable: row.is_nullable == "YES",
            },
        );
    }
    for row in keys {
        tables
            .entry(row.table_name)
            .or_default()
            .primary_key
            .push(row.column_name);
    }
    tables
}

#[test]
fn the_reader_understands_schema_rs() {
    let tables = declared();
    let users = &tables["users"];
    assert_eq!(users.primary_key, ["id"]);
    assert_eq!(
        users.columns["birth_date"],
        Column {
            sql_type: "date".into(),
            nullable: true
        }
    );
    assert_eq!(
        tables["event_outbox"].columns["recipients"].sql_type,
        "_uuid"
    );
    assert_eq!(tables["friendships"].primary_key, ["user_a", "user_b"]);
}

#[tokio::test]
async fn schema_rs_matches_the_migrated_database() {
    let db = TestDatabase::new(run_migrations).await;
    let actual = migrated(db.url()).await;
    let declared = declared();
    assert!(!declared.is_empty());
    let mut problems = Vec::new();
    for (name, table) in &declared {
        let Some(real) = actual.get(name) else {
            problems.push(format!(
                "{name}: declared in schema.rs, not in the database"
            ));
            continue;
        };
        if table.primary_key != real.primary_key {
            problems.push(format!(
                "{name}: primary key ({}) in schema.rs, ({}) in the database",
                table.primary_key.join(", "),
                real.primary_key.join(", ")
            ));
        }
        for (column, declared_column) in &table.columns {
            match real.columns.get(column) {
                None => problems.push(format!("{name}.{column}: not in the database")),
                Some(real_column) if real_column != declared_column => problems.push(format!(
                    "{name}.{column}: {declared_column:?} in schema.rs, {real_column:?} in the database"
                )),
                Some(_) => {}
            }
        }
        for column in real.columns.keys() {
            if !table.columns.contains_key(column) {
                problems.push(format!(
                    "{name}.{column}: in the database, not in schema.rs"
                ));
            }
        }
    }
    assert!(
        problems.is_empty(),
        "schema.rs has drifted:\n{}",
        problems.join("\n")
    );
}
