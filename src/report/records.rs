//! Result records of experiment runs, stored as JSON lines (one run per line, appended as runs
//! finish, so an interrupted experiment resumes where it stopped).

use crate::search::mcts::{CurvePoint, FirstPlay, MctsParams};
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

/// The settings a run was made with beyond its key (budget and length are part of the key). The
/// runs of one experiment must share them: a resumed or merged experiment refuses a mix.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RunSettings {
    /// MCTS exploration constant (`--c-puct`).
    pub c_puct: f64,
    /// MCTS leaves per round (`--batch`).
    pub batch: usize,
    /// Every first move tried once first (`--explore-root`).
    pub explore_root: bool,
    /// The gain of online α adaptation (`--alpha-online-gain`), when `--alpha-online` is on.
    pub alpha_online_gain: Option<f64>,
    /// The value of an unvisited move in MCTS's selection (`--first-play`); records made before
    /// the option existed used `loss`.
    #[serde(default = "first_play_before_the_option")]
    pub first_play: FirstPlay,
}

impl RunSettings {
    /// The settings of a search: what decides its result besides seed, budget, length, α and
    /// the model.
    pub fn of(params: &MctsParams) -> RunSettings {
        RunSettings {
            c_puct: params.c_puct,
            batch: params.batch,
            explore_root: params.explore_root,
            alpha_online_gain: params.alpha_online.map(|o| o.gain),
            first_play: params.first_play,
        }
    }
}

/// What records made before `--first-play` existed were made with.
fn first_play_before_the_option() -> FirstPlay {
    FirstPlay::Loss
}

impl std::fmt::Display for RunSettings {
    /// As command-line options: `--c-puct 1.38 --batch 4 [--explore-root] [--alpha-online ...]`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "--c-puct {} --batch {}", self.c_puct, self.batch)?;
        if self.explore_root {
            write!(f, " --explore-root")?;
        }
        if let Some(g) = self.alpha_online_gain {
            write!(f, " --alpha-online --alpha-online-gain {g}")?;
        }
        if self.first_play != FirstPlay::Loss {
            write!(f, " --first-play {}", self.first_play.name())?;
        }
        Ok(())
    }
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
    /// The search settings (absent in records written before they were stored).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub settings: Option<RunSettings>,
    /// Content hash of the policy model, for the methods that use one (abcrl, policy).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub model: Option<String>,
    /// Content hash of the retrieval index (entries and α schedule), for runs that retrieved α
    /// (abcrl).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub index: Option<String>,
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
    /// Runs made with other settings than the ones asked for (or than each other).
    #[error(
        "{}: holds runs made with {found}, not {wanted}; use the same options, or another results folder",
        file.display()
    )]
    Settings {
        /// The file holding the other runs.
        file: PathBuf,
        /// Their settings.
        found: String,
        /// The settings asked for.
        wanted: String,
    },
}

/// Checks that the policy-guided `records` of `file` used the model with content hash `wanted`
/// (records without a model hash, from before it was stored, are accepted).
pub fn check_model(records: &[RunRecord], wanted: &str, file: &Path) -> Result<(), RecordError> {
    check_same(records, |r| r.model.as_deref(), wanted, |h| format!("the policy model {h}"), file)
}

/// Checks that the retrieval-guided `records` of `file` used the index with content hash
/// `wanted` (records without an index hash, from before it was stored, are accepted).
pub fn check_index(records: &[RunRecord], wanted: &str, file: &Path) -> Result<(), RecordError> {
    check_same(records, |r| r.index.as_deref(), wanted, |h| format!("the retrieval index {h}"), file)
}

/// Checks that the `records` of `file` were made with `wanted` (records without settings, from
/// before they were stored, are accepted).
pub fn check_settings(records: &[RunRecord], wanted: &RunSettings, file: &Path) -> Result<(), RecordError> {
    check_same(records, |r| r.settings.as_ref(), wanted, RunSettings::to_string, file)
}

/// The shared rule of the checks above: every record that has the value has `wanted`;
/// `describe` names a value in the error.
fn check_same<T: PartialEq + ?Sized>(
    records: &[RunRecord],
    value_of: impl Fn(&RunRecord) -> Option<&T>,
    wanted: &T,
    describe: impl Fn(&T) -> String,
    file: &Path,
) -> Result<(), RecordError> {
    match records.iter().filter_map(value_of).find(|v| *v != wanted) {
        Some(found) => {
            Err(RecordError::Settings { file: file.to_path_buf(), found: describe(found), wanted: describe(wanted) })
        }
        None => Ok(()),
    }
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
/// two shards) keep the first occurrence. Shards made with other settings are an error.
pub fn merge(paths: &[PathBuf]) -> Result<Vec<RunRecord>, RecordError> {
    let mut seen = BTreeSet::new();
    let mut out = Vec::new();
    let mut settings: Option<RunSettings> = None;
    let mut model: Option<String> = None;
    let mut index: Option<String> = None;
    for p in paths {
        let records = read_records(p)?;
        // The first shard that records a value sets it for the rest.
        settings = settings.or_else(|| records.iter().find_map(|r| r.settings.clone()));
        model = model.or_else(|| records.iter().find_map(|r| r.model.clone()));
        index = index.or_else(|| records.iter().find_map(|r| r.index.clone()));
        if let Some(wanted) = &settings {
            check_settings(&records, wanted, p)?;
        }
        if let Some(wanted) = &model {
            check_model(&records, wanted, p)?;
        }
        if let Some(wanted) = &index {
            check_index(&records, wanted, p)?;
        }
        for r in records {
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
        settings: Some(RunSettings {
            c_puct: 1.38,
            batch: 4,
            explore_root: false,
            alpha_online_gain: None,
            first_play: FirstPlay::Loss,
        }),
        model: None,
        index: None,
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
        let keys: BTreeSet<RunKey> = read_records(&a).unwrap().iter().map(RunRecord::key).collect();
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

    #[test]
    fn settings_must_match_to_resume_or_merge() {
        let dir = std::env::temp_dir().join(format!("abcrl-settings-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        let plain = sample_record("x", "abcrl", 1, 0.1);
        let wanted = plain.settings.clone().unwrap();
        let mut explored = sample_record("x", "abcrl", 2, 0.2);
        explored.settings = Some(RunSettings { explore_root: true, ..wanted.clone() });
        // Another model: refused too.
        let mut other_model = plain.clone();
        other_model.model = Some("b".repeat(16));
        check_model(&[plain.clone(), other_model.clone()], &"b".repeat(16), Path::new("f")).unwrap();
        let e = check_model(&[other_model], &"a".repeat(16), Path::new("f")).unwrap_err().to_string();
        assert!(e.contains(&"b".repeat(16)) && e.contains(&"a".repeat(16)), "{e}");
        // Another retrieval index: refused too, in a resume and in a merge.
        let mut other_index = plain.clone();
        other_index.index = Some("c".repeat(16));
        check_index(&[plain.clone(), other_index.clone()], &"c".repeat(16), Path::new("f")).unwrap();
        let e = check_index(&[other_index.clone()], &"d".repeat(16), Path::new("f")).unwrap_err().to_string();
        assert!(e.contains("retrieval index") && e.contains(&"c".repeat(16)) && e.contains(&"d".repeat(16)), "{e}");
        let shard = |name: &str, r: &RunRecord| {
            let f = dir.join(name);
            let mut w = RecordWriter::open(&f).unwrap();
            w.append(r).unwrap();
            f
        };
        let _ = std::fs::create_dir_all(&dir);
        let with_c = shard("c.jsonl", &other_index);
        let with_d = shard("d.jsonl", &RunRecord { seed: 7, index: Some("d".repeat(16)), ..other_index.clone() });
        let e = merge(&[with_c, with_d]).unwrap_err().to_string();
        assert!(e.contains("d.jsonl"), "{e}");
        let mut legacy = sample_record("y", "abcrl", 1, 0.3);
        legacy.settings = None;
        let file = dir.join("runs.jsonl");
        // Same settings, or none recorded: fine.
        check_settings(&[plain.clone(), legacy.clone()], &wanted, &file).unwrap();
        // Another setting: refused, naming the file and both settings.
        let e = check_settings(&[plain.clone(), explored.clone()], &wanted, &file).unwrap_err().to_string();
        assert!(
            e.contains("runs.jsonl") && e.contains("--explore-root") && e.contains("not --c-puct 1.38 --batch 4"),
            "{e}"
        );
        assert_eq!(explored.settings.as_ref().unwrap().to_string(), "--c-puct 1.38 --batch 4 --explore-root");
        // Shards made with other settings do not merge; the same settings do.
        let (a, b) = (dir.join("a.jsonl"), dir.join("b.jsonl"));
        let mut w = RecordWriter::open(&a).unwrap();
        w.append(&plain).unwrap();
        w.append(&legacy).unwrap();
        drop(w);
        let mut w = RecordWriter::open(&b).unwrap();
        w.append(&explored).unwrap();
        drop(w);
        let e = merge(&[a.clone(), b.clone()]).unwrap_err().to_string();
        assert!(e.contains("b.jsonl"), "{e}");
        std::fs::write(&b, "").unwrap();
        let mut w = RecordWriter::open(&b).unwrap();
        w.append(&sample_record("z", "mcts", 1, 0.0)).unwrap();
        drop(w);
        assert_eq!(merge(&[a, b]).unwrap().len(), 3);
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn first_play_is_a_setting_and_older_records_used_loss() {
        let plain = sample_record("x", "abcrl", 1, 0.1);
        let wanted = plain.settings.clone().unwrap();
        // A record written before `--first-play` existed has no such field: it used `loss`.
        let mut json: serde_json::Value = serde_json::to_value(&plain).unwrap();
        json["settings"].as_object_mut().unwrap().remove("first_play");
        let older: RunRecord = serde_json::from_value(json).unwrap();
        assert_eq!(older.settings.as_ref().unwrap().first_play, FirstPlay::Loss);
        check_settings(&[older], &wanted, Path::new("f")).unwrap();
        // `parent` is another setting: named, and refused beside `loss`.
        let mut parent = sample_record("x", "abcrl", 2, 0.2);
        parent.settings = Some(RunSettings { first_play: FirstPlay::Parent, ..wanted.clone() });
        let line = serde_json::to_string(&parent).unwrap();
        assert!(line.contains(r#""first_play":"parent""#), "{line}");
        let e = check_settings(&[parent], &wanted, Path::new("f")).unwrap_err().to_string();
        assert!(e.contains("--first-play parent"), "{e}");
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
