//! Exports as tables: one header and typed cells, written as CSV (see [`super::csv`]) or as an
//! Excel workbook (XLSX) in which dates are dates and numbers are numbers, not text.

use actix_web::HttpResponse;
use actix_web::http::header;
use chrono::{Datelike, NaiveDate};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, XlsxError};
use serde::Deserialize;
use utoipa::{IntoParams, ToSchema};

use super::csv::{CsvDialect, csv_response, parse_dialect};
use crate::error::ApiError;

/// The media type of an XLSX workbook.
pub const XLSX: &str = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet";

/// A file's bytes, as OpenAPI describes a binary body (`type: string, format: binary`).
#[derive(Debug, ToSchema)]
#[schema(value_type = String, format = Binary)]
pub struct BinaryFile(pub Vec<u8>);

/// One cell of an exported table.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Text, written as text even when it looks like a number or a formula.
    Text(String),
    /// A calendar date.
    Date(NaiveDate),
    /// A whole number.
    Integer(i64),
    /// A number with a fraction.
    Number(f64),
    /// Yes or no.
    Bool(bool),
    /// Nothing.
    Empty,
}

impl Cell {
    /// Text, or nothing when it is empty.
    pub fn text(value: impl Into<String>) -> Self {
        let value = value.into();
        if value.is_empty() {
            Self::Empty
        } else {
            Self::Text(value)
        }
    }

    /// A date, or nothing.
    pub fn date(value: Option<NaiveDate>) -> Self {
        value.map_or(Self::Empty, Self::Date)
    }

    /// A whole number.
    pub fn integer(value: impl Into<i64>) -> Self {
        Self::Integer(value.into())
    }

    /// The cell as CSV writes it: dates as `YYYY-MM-DD`, numbers with a decimal point (the
    /// `excel_nl` dialect turns it into a comma), yes and no as `true` and `false`.
    pub fn csv_text(&self) -> String {
        match self {
            Self::Text(text) => text.clone(),
            Self::Date(date) => date.to_string(),
            Self::Integer(number) => number.to_string(),
            Self::Number(number) => number.to_string(),
            Self::Bool(value) => value.to_string(),
            Self::Empty => String::new(),
        }
    }
}

/// A table to export: its file name without extension, the header, and the rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    /// File name without extension, also the worksheet's name (at most 31 characters).
    pub name: &'static str,
    /// Column names, as the import format names them.
    pub header: &'static [&'static str],
    /// Rows, each as long as the header.
    pub rows: Vec<Vec<Cell>>,
}

/// How an export is written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, ToSchema)]
#[schema(rename_all = "snake_case")]
pub enum ExportFormat {
    /// CSV in the chosen dialect.
    #[default]
    Csv,
    /// An Excel workbook with one worksheet: real dates and numbers, the header frozen.
    Xlsx,
}

/// The query of an export.
#[derive(Debug, Deserialize, IntoParams)]
#[into_params(parameter_in = Query)]
pub struct ExportQuery {
    /// `csv` (the default) or `xlsx`, an Excel workbook in which dates and numbers are real
    /// dates and numbers.
    #[param(value_type = Option<ExportFormat>, example = "xlsx")]
    pub format: Option<String>,
    /// For CSV: `standard` (the default: comma-separated, decimal point) or `excel_nl`
    /// (semicolon-separated, decimal comma, with a UTF-8 byte-order mark, as Excel in Dutch opens
    /// it). Imports take either.
    #[param(value_type = Option<CsvDialect>, example = "excel_nl")]
    pub dialect: Option<String>,
}

/// What an export asks for: CSV in a dialect, or XLSX.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Written {
    /// CSV in this dialect.
    Csv(CsvDialect),
    /// An Excel workbook.
    Xlsx,
}

impl ExportQuery {
    /// The format asked for; an unknown format or dialect is refused, naming the parameter.
    pub fn written(&self) -> Result<Written, ApiError> {
        let dialect = parse_dialect(self.dialect.as_deref())?;
        match self.format.as_deref() {
            None | Some("csv") => Ok(Written::Csv(dialect)),
            Some("xlsx") => Ok(Written::Xlsx),
            Some(other) => Err(ApiError::field(
                "format",
                format!("'{other}' is not an export format: use csv or xlsx"),
            )),
        }
    }
}

/// The sheet as an attachment in the format asked for.
pub fn sheet_response(sheet: &Sheet, written: Written) -> Result<HttpResponse, ApiError> {
    match written {
        Written::Csv(dialect) => csv_response(sheet, dialect),
        Written::Xlsx => {
            let body = xlsx(sheet).map_err(|error| ApiError::Internal(error.into()))?;
            Ok(HttpResponse::Ok()
                .content_type(XLSX)
                .insert_header((
                    header::CONTENT_DISPOSITION,
                    format!("attachment; filename=\"{}.xlsx\"", sheet.name),
                ))
                .body(body))
        }
    }
}

/// The sheet as an XLSX workbook: a bold, frozen header; dates formatted `yyyy-mm-dd`.
pub fn xlsx(sheet: &Sheet) -> Result<Vec<u8>, XlsxError> {
    let mut workbook = Workbook::new();
    let bold = Format::new().set_bold();
    let day = Format::new().set_num_format("yyyy-mm-dd");
    let worksheet = workbook.add_worksheet();
    worksheet.set_name(sheet.name)?;
    for (column, name) in (0u16..).zip(sheet.header) {
        worksheet.write_string_with_format(0, column, *name, &bold)?;
    }
    for (row, cells) in (1u32..).zip(&sheet.rows) {
        for (column, cell) in (0u16..).zip(cells) {
            match cell {
                Cell::Text(text) => {
                    worksheet.write_string(row, column, text)?;
                }
                // Excel's calendar starts in 1900: an earlier date is written as text.
                Cell::Date(date) => match excel_date(*date) {
                    Ok(excel) => {
                        worksheet.write_date_with_format(row, column, &excel, &day)?;
                    }
                    Err(_) => {
                        worksheet.write_string(row, column, date.to_string())?;
                    }
                },
                // Whole numbers in exports are counts and ranks, far inside f64's exact range.
                #[allow(clippy::cast_precision_loss)]
                Cell::Integer(number) => {
                    worksheet.write_number(row, column, *number as f64)?;
                }
                Cell::Number(number) => {
                    worksheet.write_number(row, column, *number)?;
                }
                Cell::Bool(value) => {
                    worksheet.write_boolean(row, column, *value)?;
                }
                Cell::Empty => {}
            }
        }
    }
    worksheet.set_freeze_panes(1, 0)?;
    worksheet.autofit();
    workbook.save_to_buffer()
}

/// A date as Excel stores it (years 1900 to 9999).
fn excel_date(date: NaiveDate) -> Result<ExcelDateTime, XlsxError> {
    let year =
        u16::try_from(date.year()).map_err(|_| XlsxError::DateTimeRangeError(date.to_string()))?;
    // Month and day always fit a byte.
    ExcelDateTime::from_ymd(year, date.month() as u8, date.day() as u8)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn csv_text_of_each_cell() {
        let date = NaiveDate::from_ymd_opt(2027, 3, 1);
        assert_eq!(Cell::date(date).csv_text(), "2027-03-01");
        assert_eq!(Cell::date(None), Cell::Empty);
        assert_eq!(Cell::Number(0.8).csv_text(), "0.8");
        assert_eq!(Cell::integer(3u8).csv_text(), "3");
        assert_eq!(Cell::Bool(true).csv_text(), "true");
        assert_eq!(Cell::text(""), Cell::Empty);
    }

    #[test]
    fn unknown_formats_and_dialects_are_refused_by_name() {
        let query = |format: Option<&str>, dialect: Option<&str>| ExportQuery {
            format: format.map(str::to_owned),
            dialect: dialect.map(str::to_owned),
        };
        assert_eq!(
            query(None, None).written().ok(),
            Some(Written::Csv(CsvDialect::Standard))
        );
        assert_eq!(
            query(Some("xlsx"), None).written().ok(),
            Some(Written::Xlsx)
        );
        for (bad, field) in [
            (query(Some("pdf"), None), "format"),
            (query(None, Some("x")), "dialect"),
        ] {
            match bad.written() {
                Err(ApiError::Validation(errors)) => assert_eq!(errors[0].field, field),
                other => panic!("{other:?}"),
            }
        }
    }

    #[test]
    fn a_workbook_is_a_zip_with_one_worksheet() {
        let sheet = Sheet {
            name: "trainees",
            header: &["name", "training_start", "part_time_factor"],
            rows: vec![vec![
                Cell::text("=1+1"),
                Cell::date(NaiveDate::from_ymd_opt(2027, 3, 1)),
                Cell::Number(0.8),
            ]],
        };
        let bytes = xlsx(&sheet).unwrap_or_default();
        assert!(bytes.starts_with(b"PK\x03\x04"), "a zip archive");
    }
}
