//! Result records of experiment runs, stored as JSON lines (one run per line, appended as runs
//! finish, so an interrupted experiment resumes where it stopped).

use crate::search::mcts::CurvePoint;
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Size and mapped quality of one AIG.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct QorFigures {
    /// AND nodes.
    pub ands: usize,
    /// Levels.
    pub levels: u32,
    /// Mapped area (library units, µm² for ASAP7).
    pub area: f64,
    /// Mapped delay (ps).
    pub delay_ps: f64,
    /// Area × delay.
    pub adp: f64,
}

/// Figures measured by Berkeley ABC for the same run (`--abc`).
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct AbcFigures {
    /// ABC's resyn2 on the input, mapped by ABC.
    pub resyn2: QorFigures,
    /// The found recipe replayed in ABC on the input, mapped by ABC.
    pub replay: QorFigures,
    /// Our output AIG mapped by ABC.
    pub ours: QorFigures,
    /// `1 - ours.adp / resyn2.adp` (ABC-judged).
    pub adp_reduction: f64,
    /// ABC's `cec` of input vs our output.
    pub equivalent: bool,
}

/// One run: one method on one design with one seed and budget.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunRecord {
    /// Design name (`suite/name`).
    pub design: String,
    /// Method name (`abcrl`, `mcts`, `policy`, `random`, `greedy`, `resyn2`).
    pub method: String,
    /// Seed.
    pub seed: u64,
    /// Evaluation budget.
    pub budget: usize,
    /// Recipe length.
    pub length: usize,
    /// The best recipe found, in ABC syntax.
    pub recipe: String,
    /// The input design.
    pub input: QorFigures,
    /// Our resyn2 on the input.
    pub resyn2: QorFigures,
    /// The best result found.
    pub best: QorFigures,
    /// `1 - best.adp / resyn2.adp`.
    pub adp_reduction: f64,
    /// Distinct recipes evaluated.
    pub evaluations: usize,
    /// Wall time of the run (s).
    pub seconds: f64,
    /// The α used, if the method uses a policy.
    pub alpha: Option<f64>,
    /// Retrieval distance δ, if retrieval ran.
    pub delta: Option<f64>,
    /// Nearest training design, if retrieval ran.
    pub neighbor: Option<String>,
    /// The α schedule of the retrieval index (α as a function of δ), if retrieval ran.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub alpha_schedule: Option<crate::retrieve::AlphaParams>,
    /// α at the end of the search, when it was adapted online (`--alpha-online`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub final_alpha: Option<f64>,
    /// Our CEC proved the result equivalent to the input.
    pub equivalent: bool,
    /// Best-so-far reward against evaluations.
    pub curve: Vec<CurvePoint>,
    /// ABC's figures, with `--abc`.
    pub abc: Option<AbcFigures>,
}

/// The identity of a run, used to skip finished runs when resuming.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct RunKey {
    /// Design.
    pub design: String,
    /// Method.
    pub method: String,
    /// Seed.
    pub seed: u64,
    /// Budget.
    pub budget: usize,
    /// Length.
    pub length: usize,
}

impl RunRecord {
    /// This run's key.
    pub fn key(&self) -> RunKey {
        RunKey {
            design: self.design.clone(),
            method: self.method.clone(),
            seed: self.seed,
            budget: self.budget,
            length: self.length,
        }
    }
}

/// Errors reading or writing a results file.
#[derive(Debug, thiserror::Error)]
pub enum RecordError {
    /// The file could not be read or written.
    #[error("{}: {error}", file.display())]
    Io {
        /// The file.
        file: PathBuf,
        /// The cause.
        error: std::io::Error,
    },
    /// A line is not a valid record.
    #[error("{}: line {line}: not a valid run record: {message}", file.display())]
    Parse {
        /// The file.
        file: PathBuf,
        /// 1-based line.
        line: usize,
        /// What is wrong.
        message: String,
    },
}

/// Reads every record of a JSON-lines file (a missing file has none). A truncated last line (an
/// interrupted write) is ignored; any other malformed line is an error.
pub fn read_records(path: &Path) -> Result<Vec<RunRecord>, RecordError> {
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(Vec::new()),
        Err(error) => {
            return Err(RecordError::Io { file: path.to_path_buf(), error });
        }
    };
    let lines: Vec<&str> = text.lines().collect();
    let mut out = Vec::with_capacity(lines.len());
    for (i, line) in lines.iter().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        match serde_json::from_str::<RunRecord>(line) {
            Ok(r) => out.push(r),
            Err(_) if i + 1 == lines.len() && !text.ends_with('\n') => {} // interrupted write
            Err(e) => {
                return Err(RecordError::Parse { file: path.to_path_buf(), line: i + 1, message: e.to_string() });
            }
        }
    }
    Ok(out)
}

/// The keys of the runs already in a results file.
pub fn finished_keys(path: &Path) -> Result<BTreeSet<RunKey>, RecordError> {
    Ok(read_records(path)?.iter().map(RunRecord::key).collect())
}

/// Appends records to a results file; each is one line written with a single `write_all`, and
/// a file whose last line was cut off by an interruption is repaired first.
pub struct RecordWriter {
    file: std::fs::File,
    path: PathBuf,
}

impl RecordWriter {
    /// Opens (or creates) `path` for appending.
    pub fn open(path: &Path) -> Result<RecordWriter, RecordError> {
        let io = |error| RecordError::Io { file: path.to_path_buf(), error };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir).map_err(io)?;
        }
        // Drop a partial last line left by an interrupted run.
        if let Ok(text) = std::fs::read_to_string(path)
            && !text.is_empty()
            && !text.ends_with('\n')
        {
            let keep = text.rfind('\n').map_or(0, |i| i + 1);
            std::fs::write(path, &text[..keep]).map_err(io)?;
        }
        let file = std::fs::OpenOptions::new().create(true).append(true).open(path).map_err(io)?;
        Ok(RecordWriter { file, path: path.to_path_buf() })
    }

    /// Appends one record and flushes it to disk.
    pub fn append(&mut self, record: &RunRecord) -> Result<(), RecordError> {
        let mut line = serde_json::to_string(record)
            .map_err(|e| RecordError::Io { file: self.path.clone(), error: std::io::Error::other(e) })?;
        line.push('\n');
        self.file
            .write_all(line.as_bytes())
            .and_then(|_| self.file.sync_data())
            .map_err(|error| RecordError::Io { file: self.path.clone(), error })
    }
}

/// Joins several result files (shards) into one list, sorted by key; duplicates (the same key in
/// two shards) keep the first occurrence.
pub fn merge(paths: &[PathBuf]) -> Result<Vec<RunRecord>, RecordError> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    for p in paths {
        for r in read_records(p)? {
            if seen.insert(r.key()) {
                out.push(r);
            }
        }
    }
    out.sort_by_key(RunRecord::key);
    Ok(out)
}

#[cfg(test)]
pub(crate) fn sample_record(design: &str, method: &str, seed: u64, reduction: f64) -> RunRecord {
    let resyn2 = QorFigures { ands: 100, levels: 10, area: 10.0, delay_ps: 100.0, adp: 1000.0 };
    let best = QorFigures { adp: 1000.0 * (1.0 - reduction), ..resyn2 };
    RunRecord {
        design: design.into(),
        method: method.into(),
        seed,
        budget: 100,
        length: 10,
        recipe: "b; rw".into(),
        input: resyn2,
        resyn2,
        best,
        adp_reduction: reduction,
        evaluations: 100,
        seconds: 1.0,
        alpha: None,
        delta: None,
        neighbor: None,
        alpha_schedule: None,
        final_alpha: None,
        equivalent: true,
        curve: vec![CurvePoint { evaluations: 1, best_reward: reduction, seconds: 0.1 }],
        abc: None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn append_resume_and_merge() {
        let dir = std::env::temp_dir().join(format!("abcrl-records-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let a = dir.join("a.jsonl");
        let mut w = RecordWriter::open(&a).unwrap();
        w.append(&sample_record("x", "mcts", 1, 0.1)).unwrap();
        w.append(&sample_record("x", "mcts", 2, 0.2)).unwrap();
        drop(w);
        // Simulate an interrupted write.
        let mut f = std::fs::OpenOptions::new().append(true).open(&a).unwrap();
        f.write_all(b"{\"design\":\"x\",\"meth").unwrap();
        drop(f);
        assert_eq!(read_records(&a).unwrap().len(), 2);
        let keys = finished_keys(&a).unwrap();
        assert!(keys.contains(&sample_record("x", "mcts", 2, 0.0).key()));
        let mut w = RecordWriter::open(&a).unwrap();
        w.append(&sample_record("y", "mcts", 1, 0.3)).unwrap();
        drop(w);
        assert_eq!(read_records(&a).unwrap().len(), 3);
        let b = dir.join("b.jsonl");
        let mut w = RecordWriter::open(&b).unwrap();
        w.append(&sample_record("a", "random", 1, 0.0)).unwrap();
        w.append(&sample_record("x", "mcts", 1, 0.9)).unwrap(); // duplicate key
        drop(w);
        let m = merge(&[a.clone(), b]).unwrap();
        assert_eq!(m.len(), 4);
        assert_eq!(m[0].design, "a");
        assert_eq!(m.iter().find(|r| r.design == "x" && r.seed == 1).unwrap().adp_reduction, 0.1);
        // A malformed line in the middle is an error naming the line.
        std::fs::write(&a, "garbage\n{}\n").unwrap();
        let e = read_records(&a).unwrap_err().to_string();
        assert!(e.contains("line 1"), "{e}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    /// Records read back carry the exact figures that were written: `eval abc`, `eval merge` and
    /// resumed evals rewrite records they read, so a lossy float parser would drift the last
    /// digit of every figure (it did: epfl/router's resyn2 ADP 1968.5665732850903 came back as
    /// ...905 before serde_json's `float_roundtrip`).
    #[test]
    fn figures_round_trip_bit_for_bit() {
        let mut r = sample_record("epfl/router", "mcts", 1, 0.18519962566639311);
        r.resyn2.adp = 1968.5665732850903;
        r.best.delay_ps = 190.96922302246094;
        r.best.area = 9.170820236206055;
        r.seconds = 0.1 + 0.2;
        let line = serde_json::to_string(&r).unwrap();
        let back: RunRecord = serde_json::from_str(&line).unwrap();
        for (a, b) in [
            (r.resyn2.adp, back.resyn2.adp),
            (r.best.delay_ps, back.best.delay_ps),
            (r.best.area, back.best.area),
            (r.adp_reduction, back.adp_reduction),
            (r.seconds, back.seconds),
        ] {
            assert_eq!(a.to_bits(), b.to_bits(), "{a} came back as {b}");
        }
    }
}
