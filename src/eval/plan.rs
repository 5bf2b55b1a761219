//! What an experiment runs: the designs (suites, list files, paths), the methods, the seeds, and
//! which share of the runs this process does (`--shard i/N`).

use super::EvalError;
use crate::report::records::RunKey;
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;

/// A recipe-search method compared by `abcrl eval`.
#[derive(Copy, Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Method {
    /// MCTS with the policy prior weighted by the retrieved α (ABC-RL).
    Abcrl,
    /// Plain MCTS: α = 0 (flat prior).
    Mcts,
    /// MCTS with the full policy prior: α = 1.
    Policy,
    /// `budget` distinct uniformly random recipes; the best is kept.
    Random,
    /// Greedy: at each step, every single next move is evaluated and the best one kept.
    Greedy,
    /// ABC's resyn2 script (the reference; one evaluation).
    Resyn2,
}

impl Method {
    /// Every method, in table order.
    pub const ALL: [Method; 6] =
        [Method::Abcrl, Method::Mcts, Method::Policy, Method::Random, Method::Greedy, Method::Resyn2];

    /// The name used on the command line and in the records.
    pub fn name(self) -> &'static str {
        match self {
            Method::Abcrl => "abcrl",
            Method::Mcts => "mcts",
            Method::Policy => "policy",
            Method::Random => "random",
            Method::Greedy => "greedy",
            Method::Resyn2 => "resyn2",
        }
    }

    /// True if the seed does not change the result: such methods run once per design, with the
    /// first seed.
    pub fn is_deterministic(self) -> bool {
        matches!(self, Method::Greedy | Method::Resyn2)
    }

    /// True if the method needs the trained policy.
    pub fn needs_policy(self) -> bool {
        matches!(self, Method::Abcrl | Method::Policy)
    }
}

impl fmt::Display for Method {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

impl FromStr for Method {
    type Err = EvalError;
    fn from_str(s: &str) -> Result<Method, EvalError> {
        Method::ALL.into_iter().find(|m| m.name() == s.trim().to_ascii_lowercase()).ok_or_else(|| {
            EvalError::Usage(format!("unknown method `{s}` (known: abcrl, mcts, policy, random, greedy, resyn2)"))
        })
    }
}

/// Parses a comma-separated method list (`mcts,random`), keeping the given order, without repeats.
pub fn parse_methods(list: &str) -> Result<Vec<Method>, EvalError> {
    let mut out = Vec::new();
    for part in list.split(',').filter(|p| !p.trim().is_empty()) {
        let m: Method = part.parse()?;
        if !out.contains(&m) {
            out.push(m);
        }
    }
    if out.is_empty() {
        return Err(EvalError::Usage("--methods names no method".into()));
    }
    Ok(out)
}

/// Parses a seed list: `1,2,3` or a range `1-5` (or a mix).
pub fn parse_seeds(list: &str) -> Result<Vec<u64>, EvalError> {
    let bad = || EvalError::Usage(format!("bad --seeds `{list}` (expected e.g. `1,2,3` or `1-5`)"));
    let mut out: Vec<u64> = Vec::new();
    for part in list.split(',').map(str::trim).filter(|p| !p.is_empty()) {
        let (lo, hi) = match part.split_once('-') {
            Some((a, b)) => (a.trim().parse().map_err(|_| bad())?, b.trim().parse().map_err(|_| bad())?),
            None => {
                let v: u64 = part.parse().map_err(|_| bad())?;
                (v, v)
            }
        };
        if hi < lo || hi - lo > 100_000 {
            return Err(bad());
        }
        for s in lo..=hi {
            if !out.contains(&s) {
                out.push(s);
            }
        }
    }
    if out.is_empty() {
        return Err(bad());
    }
    Ok(out)
}

/// `--shard i/N`: this process runs share `i` (0-based) of `N`.
#[derive(Copy, Clone, Debug, PartialEq, Eq)]
pub struct Shard {
    /// This share, `0..count`.
    pub index: usize,
    /// Number of shares.
    pub count: usize,
}

impl Default for Shard {
    fn default() -> Shard {
        Shard { index: 0, count: 1 }
    }
}

impl FromStr for Shard {
    type Err = EvalError;
    fn from_str(s: &str) -> Result<Shard, EvalError> {
        let bad = || EvalError::Usage(format!("bad --shard `{s}` (expected i/N with 0 <= i < N, e.g. 0/4)"));
        let (i, n) = s.split_once('/').ok_or_else(bad)?;
        let index: usize = i.trim().parse().map_err(|_| bad())?;
        let count: usize = n.trim().parse().map_err(|_| bad())?;
        if count == 0 || index >= count {
            return Err(bad());
        }
        Ok(Shard { index, count })
    }
}

impl fmt::Display for Shard {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

/// One run of an experiment.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub struct RunSpec {
    /// Index into the experiment's design list.
    pub design: usize,
    /// The method.
    pub method: Method,
    /// The seed.
    pub seed: u64,
}

/// A design of an experiment.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DesignRef {
    /// The name used in records and tables (`mcnc/alu4`).
    pub name: String,
    /// The file.
    pub path: PathBuf,
}

/// Every run of an experiment, in a fixed order (design, method, seed); deterministic methods
/// run once per design, with the first seed.
pub fn plan_runs(num_designs: usize, methods: &[Method], seeds: &[u64]) -> Vec<RunSpec> {
    let mut out = Vec::new();
    for design in 0..num_designs {
        for &method in methods {
            let seeds = if method.is_deterministic() { &seeds[..seeds.len().min(1)] } else { seeds };
            for &seed in seeds {
                out.push(RunSpec { design, method, seed });
            }
        }
    }
    out
}

/// The share of `runs` that `shard` does: runs are ordered by their record key (design name,
/// method, seed) and dealt out round-robin, so shares are balanced over designs and methods and
/// do not depend on the order of the command's arguments.
pub fn shard_runs(runs: &[RunSpec], designs: &[DesignRef], budget: usize, length: usize, shard: Shard) -> Vec<RunSpec> {
    let mut keyed: Vec<(RunKey, &RunSpec)> = runs.iter().map(|r| (run_key(r, designs, budget, length), r)).collect();
    keyed.sort_by(|a, b| a.0.cmp(&b.0));
    keyed.into_iter().enumerate().filter(|(i, _)| i % shard.count == shard.index).map(|(_, (_, r))| r.clone()).collect()
}

/// The record key of a run.
pub fn run_key(run: &RunSpec, designs: &[DesignRef], budget: usize, length: usize) -> RunKey {
    RunKey {
        design: designs[run.design].name.clone(),
        method: run.method.name().to_string(),
        seed: run.seed,
        budget,
        length,
    }
}

/// The name of a design file in records: its folder and stem (`mcnc/alu4` for
/// `aig/mcnc/alu4.aig`).
pub fn design_name(path: &Path) -> String {
    let stem = path.file_stem().map(|s| s.to_string_lossy().into_owned()).unwrap_or_default();
    match path.parent().and_then(|p| p.file_name()) {
        Some(dir) => format!("{}/{stem}", dir.to_string_lossy()),
        None => stem,
    }
}

const DESIGN_EXTENSIONS: [&str; 6] = ["aig", "aag", "blif", "bench", "v", "sv"];

/// Resolves one entry of a split file (`mcnc/alu4`) or a path.
fn resolve_entry(entry: &str, aig_dir: &Path, base: &Path) -> Option<PathBuf> {
    let p = Path::new(entry);
    for candidate in [base.join(p), p.to_path_buf()] {
        if candidate.is_file() {
            return Some(candidate);
        }
    }
    DESIGN_EXTENSIONS.iter().map(|ext| aig_dir.join(format!("{entry}.{ext}"))).find(|c| c.is_file())
}

/// The file of a design named in a record (`mcnc/alu4`): under `aig_dir` with any design
/// extension, or the name itself as a path.
pub fn locate_design(name: &str, aig_dir: &Path) -> Option<PathBuf> {
    resolve_entry(name, aig_dir, Path::new("."))
}

/// Reads a list file: one design per line (`suite/name` under `aig_dir`, or a path relative to
/// the list's folder); `#` starts a comment.
fn read_list(list: &Path, aig_dir: &Path) -> Result<Vec<DesignRef>, EvalError> {
    let text = std::fs::read_to_string(list).map_err(|e| EvalError::Io { file: list.to_path_buf(), error: e })?;
    let base = list.parent().unwrap_or(Path::new("."));
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let entry = line.split('#').next().unwrap_or("").trim();
        if entry.is_empty() {
            continue;
        }
        let path = resolve_entry(entry, aig_dir, base).ok_or_else(|| EvalError::Design {
            what: format!("{}: line {}: design `{entry}` not found under {}", list.display(), i + 1, aig_dir.display()),
        })?;
        let name = if Path::new(entry).extension().is_some() { design_name(&path) } else { entry.to_string() };
        out.push(DesignRef { name, path });
    }
    Ok(out)
}

/// Resolves the command's design arguments: suite names (`mcnc12`, `epfl8`, `test`, `train`,
/// `validation`: `aig_dir/splits/<suite>.txt`), list files (`.txt`), or design files. Repeats
/// are dropped; the order is kept.
pub fn resolve_designs(args: &[String], aig_dir: &Path) -> Result<Vec<DesignRef>, EvalError> {
    let mut out: Vec<DesignRef> = Vec::new();
    for arg in args {
        let path = Path::new(arg);
        let split = aig_dir.join("splits").join(format!("{arg}.txt"));
        let found = if !arg.contains('/') && !arg.contains('.') && split.is_file() {
            read_list(&split, aig_dir)?
        } else if path.is_file() && path.extension().is_some_and(|e| e == "txt") {
            read_list(path, aig_dir)?
        } else if path.is_file() {
            vec![DesignRef { name: design_name(path), path: path.to_path_buf() }]
        } else if let Some(p) = resolve_entry(arg, aig_dir, Path::new(".")) {
            vec![DesignRef { name: arg.clone(), path: p }]
        } else {
            return Err(EvalError::Design {
                what: format!(
                    "`{arg}` is neither a suite ({}/splits/{arg}.txt), a list file nor a design file",
                    aig_dir.display()
                ),
            });
        };
        for d in found {
            if !out.iter().any(|o| o.name == d.name) {
                out.push(d);
            }
        }
    }
    if out.is_empty() {
        return Err(EvalError::Usage("no designs given".into()));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_lists_and_shards() {
        assert_eq!(parse_methods("mcts, random,mcts").unwrap(), vec![Method::Mcts, Method::Random]);
        assert!(parse_methods("mcts,foo").is_err());
        assert_eq!(parse_seeds("1,3-5,3").unwrap(), vec![1, 3, 4, 5]);
        assert!(parse_seeds("x").is_err());
        assert_eq!("1/4".parse::<Shard>().unwrap(), Shard { index: 1, count: 4 });
        assert!("4/4".parse::<Shard>().is_err());
        assert!("0/0".parse::<Shard>().is_err());
    }

    #[test]
    fn shards_partition_the_runs() {
        let designs: Vec<DesignRef> =
            ["b", "a", "c"].iter().map(|n| DesignRef { name: n.to_string(), path: PathBuf::from(n) }).collect();
        let runs = plan_runs(3, &[Method::Mcts, Method::Resyn2, Method::Random], &[1, 2]);
        // resyn2 runs once per design.
        assert_eq!(runs.len(), 3 * (2 + 1 + 2));
        let mut all: Vec<RunSpec> = Vec::new();
        for i in 0..3 {
            let s = shard_runs(&runs, &designs, 10, 5, Shard { index: i, count: 3 });
            assert!(s.len() == 5, "balanced shares");
            all.extend(s);
        }
        all.sort();
        let mut want = runs.clone();
        want.sort();
        assert_eq!(all, want);
    }
}
