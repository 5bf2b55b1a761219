//! Reports: run records (JSON lines), result tables (markdown, CSV) and plots (SVG, PNG).

pub mod plot;
pub mod records;
pub mod table;
