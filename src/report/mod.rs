//! Reports: tables (markdown, CSV), JSON records and plots.

pub mod plot;
