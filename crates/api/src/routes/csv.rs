//! CSV in and out: exports as a file, imports row by row with errors per line, in two dialects.
//!
//! The standard dialect is RFC 4180: comma-separated, decimal point. `excel_nl` is what Excel in
//! Dutch opens with a double click: semicolon-separated, decimal comma, with a UTF-8 byte-order
//! mark (without it Excel reads the file as Windows-1252 and garbles accents). Imports take both:
//! the byte-order mark is skipped and the header line tells the separator. Cells that a
//! spreadsheet would read as a formula are written with a leading `'` and read back without it.

use actix_web::http::header;
use actix_web::{HttpRequest, HttpResponse};
use koppel_api_types::FieldError;
use utoipa::ToSchema;

use super::people::within_row_limit;
use super::sheet::{Cell, Sheet};
use crate::error::ApiError;

/// How a CSV export is written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum CsvDialect {
    /// Comma-separated, decimal point, no byte-order mark (RFC 4180).
    #[default]
    Standard,
    /// Semicolon-separated, decimal comma, UTF-8 byte-order mark: Excel in Dutch.
    ExcelNl,
}

/// The dialect a `dialect` query parameter asks for (`standard` when absent); an unknown one is
/// refused, naming `dialect`.
pub fn parse_dialect(value: Option<&str>) -> Result<CsvDialect, ApiError> {
    match value {
        None | Some("standard") => Ok(CsvDialect::Standard),
        Some("excel_nl") => Ok(CsvDialect::ExcelNl),
        Some(other) => Err(ApiError::field(
            "dialect",
            format!("'{other}' is not a CSV dialect: use standard or excel_nl"),
        )),
    }
}

const BYTE_ORDER_MARK: &str = "\u{feff}";

/// A sheet as a CSV attachment: text cells that a spreadsheet would read as a formula are
/// written with a leading `'`, and `excel_nl` writes fractions with a decimal comma.
pub fn csv_response(sheet: &Sheet, dialect: CsvDialect) -> Result<HttpResponse, ApiError> {
    let (delimiter, start) = match dialect {
        CsvDialect::Standard => (b',', ""),
        CsvDialect::ExcelNl => (b';', BYTE_ORDER_MARK),
    };
    let mut writer = csv::WriterBuilder::new()
        .delimiter(delimiter)
        .from_writer(start.as_bytes().to_vec());
    let failed = |error: csv::Error| ApiError::Internal(error.into());
    writer.write_record(sheet.header).map_err(failed)?;
    for row in &sheet.rows {
        writer
            .write_record(row.iter().map(|cell| match cell {
                Cell::Text(text) => spreadsheet_safe(text).into_owned(),
                Cell::Number(_) if dialect == CsvDialect::ExcelNl => {
                    cell.csv_text().replacen('.', ",", 1)
                }
                _ => cell.csv_text(),
            }))
            .map_err(failed)?;
    }
    let csv = writer
        .into_inner()
        .map_err(|error| ApiError::Internal(anyhow::anyhow!("{error}")))?;
    Ok(HttpResponse::Ok()
        .content_type("text/csv; charset=utf-8")
        .insert_header((
            header::CONTENT_DISPOSITION,
            format!("attachment; filename=\"{}.csv\"", sheet.name),
        ))
        .body(csv))
}

/// Whether a whole cell is a number with a fraction written with `separator` (`0.8`, `-1,25`).
fn is_decimal(cell: &str, separator: char) -> bool {
    let digits = cell.strip_prefix('-').unwrap_or(cell);
    digits
        .split_once(separator)
        .is_some_and(|(whole, fraction)| {
            !whole.is_empty()
                && !fraction.is_empty()
                && whole.bytes().all(|b| b.is_ascii_digit())
                && fraction.bytes().all(|b| b.is_ascii_digit())
        })
}

/// First characters that make a spreadsheet read a cell as a formula (OWASP, CSV injection).
const FORMULA_START: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

/// A cell a spreadsheet shows as text: one that would start a formula gets a leading `'`.
fn spreadsheet_safe(cell: &str) -> std::borrow::Cow<'_, str> {
    if cell.starts_with(FORMULA_START) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// The cell an export wrote with [`spreadsheet_safe`], so an exported file imports unchanged.
fn from_spreadsheet(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if rest.starts_with(FORMULA_START) => rest,
        _ => cell,
    }
}

/// Whether a request's body is CSV (`text/csv`).
pub fn is_csv(request: &HttpRequest) -> bool {
    request
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|value| value.to_str().ok())
        .is_some_and(|value| value.trim().to_ascii_lowercase().starts_with("text/csv"))
}

/// The dialect of a CSV body, from its header line: semicolons and no commas make `excel_nl`.
fn dialect_of(body: &[u8]) -> CsvDialect {
    let header = body.split(|&b| b == b'\n').next().unwrap_or_default();
    let count = |byte: u8| header.iter().filter(|&&b| b == byte).count();
    if count(b';') > count(b',') {
        CsvDialect::ExcelNl
    } else {
        CsvDialect::Standard
    }
}

/// Rows of a CSV body in either dialect, each named `line N` for errors (the header is line 1).
pub fn csv_rows<T: serde::de::DeserializeOwned>(body: &[u8]) -> Result<Vec<(String, T)>, ApiError> {
    let body = body
        .strip_prefix(BYTE_ORDER_MARK.as_bytes())
        .unwrap_or(body);
    let dialect = dialect_of(body);
    let mut reader = csv::ReaderBuilder::new()
        .delimiter(match dialect {
            CsvDialect::Standard => b',',
            CsvDialect::ExcelNl => b';',
        })
        .trim(csv::Trim::All)
        .from_reader(body);
    let headers = reader
        .headers()
        .map_err(|error| ApiError::field("line 1", error))?
        .clone();
    let plain = |cell: &str| {
        let cell = from_spreadsheet(cell);
        match dialect {
            CsvDialect::ExcelNl if is_decimal(cell, ',') => cell.replacen(',', ".", 1),
            _ => cell.to_owned(),
        }
    };
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    for record in reader.records() {
        let record = record.and_then(|record| {
            let mut cells: csv::StringRecord = record.iter().map(plain).collect();
            cells.set_position(record.position().cloned());
            cells.deserialize::<T>(Some(&headers))
        });
        match record {
            Ok(row) => rows.push((format!("line {}", rows.len() + errors.len() + 2), row)),
            Err(error) => {
                let line = error
                    .position()
                    .map_or(rows.len() + errors.len() + 2, |p| p.line() as usize);
                let message = match error.kind() {
                    csv::ErrorKind::Deserialize { err, .. } => err.to_string(),
                    _ => error.to_string(),
                };
                let field = match error.kind() {
                    csv::ErrorKind::Deserialize { err, .. } => {
                        err.field().map_or(format!("line {line}"), |index| {
                            format!("line {line}.column {}", index + 1)
                        })
                    }
                    _ => format!("line {line}"),
                };
                errors.push(FieldError { field, message });
            }
        }
    }
    within_row_limit(rows.len() + errors.len())?;
    if errors.is_empty() {
        Ok(rows)
    } else {
        Err(ApiError::Validation(errors))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_whole_decimal_numbers_change_separator() {
        assert!(is_decimal("0.8", '.'));
        assert!(is_decimal("-12.25", '.'));
        assert!(is_decimal("0,8", ','));
        for cell in ["8", "0.", ".8", "1.2.3", "v1.2", "2025-09-01", "0,8"] {
            assert!(!is_decimal(cell, '.'), "{cell}");
        }
    }

    #[test]
    fn the_header_line_tells_the_dialect() {
        assert_eq!(
            dialect_of(b"name;email;history\nA;a@x.nl;"),
            CsvDialect::ExcelNl
        );
        assert_eq!(dialect_of(b"name,email\nA;B,a@x.nl"), CsvDialect::Standard);
        assert_eq!(
            dialect_of(b"id,name,email,preferences\nK-1,A,a@x.nl,utrecht;groningen"),
            CsvDialect::Standard
        );
    }

    #[test]
    fn cells_that_would_start_a_formula_are_exported_as_text_and_imported_unchanged() {
        for formula in [
            "=HYPERLINK(\"http://x\")",
            "+1",
            "-2+3",
            "@SUM(A1)",
            "\tx",
            "\rx",
        ] {
            let safe = spreadsheet_safe(formula);
            assert_eq!(safe, format!("'{formula}"));
            assert_eq!(from_spreadsheet(&safe), formula);
        }
        for plain in ["Sanne Jansen", "2025-09-01", "0.8", "'quoted"] {
            assert_eq!(spreadsheet_safe(plain), plain);
            assert_eq!(from_spreadsheet(plain), plain);
        }
    }
}
