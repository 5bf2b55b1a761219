//! Moves and recipes: ABC-style scripts of synthesis moves.
//!
//! A [`Move`] is one of the seven ABC-RL actions; a [`Step`] is a move with ABC's options
//! (`-z`, `-l`, `resub -K k -N n`, `refactor -N n`); a [`Recipe`] is a list of steps. The syntax is
//! ABC's, so recipes can be pasted between ABC and abcrl: steps separated by `;` or newlines,
//! `#` starts a comment, long or short names (`balance`/`b`, `rewrite`/`rw`, `rwz`, `refactor`/
//! `rf`, `rfz`, `resub`/`rs`, `rsz`), and the `abc.rc` aliases (`resyn`, `resyn2`, `resyn2a`,
//! `resyn3`, `compress`, `compress2`, `resyn2rs`, `compress2rs`), which are shipped as files in
//! `recipes/` and compiled in.
//!
//! [`apply`] runs one move; [`apply_step`] one step; [`run`] a recipe.

use crate::aig::{Aig, depth};
use crate::opt::balance::{BalanceParams, balance};
use crate::opt::refactor::{RefactorParams, refactor};
use crate::opt::resub::{ResubParams, resub};
use crate::opt::rewrite::{RewriteParams, rewrite};
use std::fmt;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::time::Instant;

/// The seven moves of ABC-RL, each ABC's command with default options.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize)]
pub enum Move {
    /// `balance`
    Balance,
    /// `rewrite`
    Rewrite,
    /// `rewrite -z`
    RewriteZ,
    /// `refactor`
    Refactor,
    /// `refactor -z`
    RefactorZ,
    /// `resub`
    Resub,
    /// `resub -z`
    ResubZ,
}

impl Move {
    /// All moves, in declaration order.
    pub const ALL: [Move; 7] =
        [Move::Balance, Move::Rewrite, Move::RewriteZ, Move::Refactor, Move::RefactorZ, Move::Resub, Move::ResubZ];

    /// ABC's short name (`b`, `rw`, `rwz`, `rf`, `rfz`, `rs`, `rsz`).
    pub fn short_name(self) -> &'static str {
        match self {
            Move::Balance => "b",
            Move::Rewrite => "rw",
            Move::RewriteZ => "rwz",
            Move::Refactor => "rf",
            Move::RefactorZ => "rfz",
            Move::Resub => "rs",
            Move::ResubZ => "rsz",
        }
    }

    /// True if the move accepts zero-gain replacements (`-z`).
    pub fn zero_gain(self) -> bool {
        matches!(self, Move::RewriteZ | Move::RefactorZ | Move::ResubZ)
    }

    /// The move that performs the same transformation, as a function of the AIG: `resub -z`
    /// is `resub` (with one added node every resubstitution saves at least one node, so the
    /// zero-gain option never changes anything; see [`crate::opt::resub`]). Every other move is
    /// its own. The search engine uses this to compute a state once for both.
    pub fn same_transformation(self) -> Move {
        match self {
            Move::ResubZ => Move::Resub,
            m => m,
        }
    }

    /// True if this build implements the move.
    pub fn is_implemented(self) -> bool {
        true
    }

    fn with_zero_gain(self, z: bool) -> Move {
        match (self, z) {
            (Move::Rewrite | Move::RewriteZ, true) => Move::RewriteZ,
            (Move::Rewrite | Move::RewriteZ, false) => Move::Rewrite,
            (Move::Refactor | Move::RefactorZ, true) => Move::RefactorZ,
            (Move::Refactor | Move::RefactorZ, false) => Move::Refactor,
            (Move::Resub | Move::ResubZ, true) => Move::ResubZ,
            (Move::Resub | Move::ResubZ, false) => Move::Resub,
            (Move::Balance, _) => Move::Balance,
        }
    }
}

impl fmt::Display for Move {
    /// ABC's spelling: `balance`, `rewrite -z`, ...
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Move::Balance => "balance",
            Move::Rewrite => "rewrite",
            Move::RewriteZ => "rewrite -z",
            Move::Refactor => "refactor",
            Move::RefactorZ => "refactor -z",
            Move::Resub => "resub",
            Move::ResubZ => "resub -z",
        })
    }
}

impl FromStr for Move {
    type Err = String;
    /// Parses a plain move: long or short spelling, with `-z` where it applies.
    fn from_str(s: &str) -> Result<Move, String> {
        let step: Step = s.parse().map_err(|e: StepError| e.to_string())?;
        if step != Step::from(step.mv) {
            return Err(format!("`{s}` has options beyond a plain move"));
        }
        Ok(step.mv)
    }
}

/// A move with ABC's options.
#[derive(Copy, Clone, Debug, PartialEq, Eq, Hash, serde::Serialize)]
pub struct Step {
    /// The move (includes `-z`).
    pub mv: Move,
    /// `-l` was given an odd number of times: toggles ABC's level option (for `balance`:
    /// minimise levels while pairing; for the others: preserve levels), which is on by default.
    pub toggle_levels: bool,
    /// `balance -d`: duplicate logic to reduce depth.
    pub duplicate: bool,
    /// `resub -K k` (cut size, 4..=16) or `refactor -N n` (cut size, 2..=15).
    pub cut_size: Option<u32>,
    /// `resub -N n`: the most nodes a resubstitution may add (0..=3).
    pub max_added: Option<u32>,
}

impl From<Move> for Step {
    fn from(mv: Move) -> Step {
        Step { mv, toggle_levels: false, duplicate: false, cut_size: None, max_added: None }
    }
}

impl fmt::Display for Step {
    /// ABC's spelling, options in a fixed order: `resub -K 6 -N 2 -z -l`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let base = match self.mv {
            Move::Balance => "balance",
            Move::Rewrite | Move::RewriteZ => "rewrite",
            Move::Refactor | Move::RefactorZ => "refactor",
            Move::Resub | Move::ResubZ => "resub",
        };
        f.write_str(base)?;
        if let Some(k) = self.cut_size {
            let flag = if matches!(self.mv, Move::Resub | Move::ResubZ) { "-K" } else { "-N" };
            write!(f, " {flag} {k}")?;
        }
        if let Some(n) = self.max_added {
            write!(f, " -N {n}")?;
        }
        if self.duplicate {
            f.write_str(" -d")?;
        }
        if self.mv.zero_gain() {
            f.write_str(" -z")?;
        }
        if self.toggle_levels {
            f.write_str(" -l")?;
        }
        Ok(())
    }
}

/// Why a single step could not be parsed.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum StepError {
    /// The command is not one of the moves.
    #[error("unknown step `{0}` (expected balance/b, rewrite/rw/rwz, refactor/rf/rfz, resub/rs/rsz or a recipe name)")]
    Unknown(String),
    /// An option the command does not take, or a bad value.
    #[error("bad option in `{step}`: {why}")]
    BadOption {
        /// The step text.
        step: String,
        /// What is wrong.
        why: String,
    },
}

impl FromStr for Step {
    type Err = StepError;
    fn from_str(s: &str) -> Result<Step, StepError> {
        let text = s.split_whitespace().collect::<Vec<_>>().join(" ");
        let mut words = text.split(' ');
        let name = words.next().unwrap_or("");
        let (mv, z) = match name {
            "balance" | "b" => (Move::Balance, false),
            "rewrite" | "rw" => (Move::Rewrite, false),
            "rwz" => (Move::Rewrite, true),
            "refactor" | "rf" => (Move::Refactor, false),
            "rfz" => (Move::Refactor, true),
            "resub" | "rs" => (Move::Resub, false),
            "rsz" => (Move::Resub, true),
            _ => return Err(StepError::Unknown(text.clone())),
        };
        let bad = |why: String| StepError::BadOption { step: text.clone(), why };
        let mut step = Step::from(mv);
        let mut zero = z;
        let is_resub = mv == Move::Resub;
        while let Some(w) = words.next() {
            match w {
                "-z" if mv != Move::Balance => zero = !zero,
                "-l" => step.toggle_levels = !step.toggle_levels,
                "-d" if mv == Move::Balance => step.duplicate = !step.duplicate,
                "-K" | "-N" => {
                    let value = words.next().ok_or_else(|| bad(format!("{w} needs a value")))?;
                    let n: u32 = value.parse().map_err(|_| bad(format!("{w} {value}: not a number")))?;
                    match (is_resub, mv == Move::Refactor, w) {
                        (true, _, "-K") if (4..=16).contains(&n) => step.cut_size = Some(n),
                        (true, _, "-K") => {
                            return Err(bad(format!("-K {n}: the cut size must be 4..16")));
                        }
                        (true, _, "-N") if n <= 3 => step.max_added = Some(n),
                        (true, _, "-N") => {
                            return Err(bad(format!("-N {n}: at most 3 nodes may be added")));
                        }
                        (_, true, "-N") if (2..=15).contains(&n) => step.cut_size = Some(n),
                        (_, true, "-N") => {
                            return Err(bad(format!("-N {n}: the cut size must be 2..15")));
                        }
                        _ => return Err(bad(format!("{name} does not take {w}"))),
                    }
                }
                _ => return Err(bad(format!("{name} does not take `{w}`"))),
            }
        }
        step.mv = mv.with_zero_gain(zero);
        Ok(step)
    }
}

/// A recipe: steps to apply in order.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct Recipe {
    /// The steps.
    pub steps: Vec<Step>,
}

/// Why a recipe could not be read or run.
#[derive(Debug, thiserror::Error)]
pub enum RecipeError {
    /// A step could not be parsed.
    #[error("{source_name}: line {line}, step {position}: {error}")]
    Step {
        /// Where the recipe came from (a file name, or `recipe` for inline text).
        source_name: String,
        /// Line of the step (1-based).
        line: usize,
        /// Position of the step in the recipe (1-based).
        position: usize,
        /// What is wrong.
        error: StepError,
    },
    /// A step names a move this build does not implement yet.
    #[error("{source_name}: line {line}, step {position}: `{step}` is not implemented yet")]
    NotImplemented {
        /// Where the recipe came from.
        source_name: String,
        /// Line of the step (1-based).
        line: usize,
        /// Position of the step in the recipe (1-based).
        position: usize,
        /// The step.
        step: String,
    },
    /// The recipe file could not be read.
    #[error("{}: {error}", file.display())]
    Io {
        /// The file.
        file: PathBuf,
        /// The error.
        error: std::io::Error,
    },
    /// Named recipes refer to each other in a loop.
    #[error("{source_name}: recipe aliases nest too deeply (a loop?)")]
    TooDeep {
        /// Where the recipe came from.
        source_name: String,
    },
}

/// The recipes shipped in `recipes/`, by name.
const NAMED: [(&str, &str); 8] = [
    ("resyn", include_str!("../../recipes/resyn.rcp")),
    ("resyn2", include_str!("../../recipes/resyn2.rcp")),
    ("resyn2a", include_str!("../../recipes/resyn2a.rcp")),
    ("resyn3", include_str!("../../recipes/resyn3.rcp")),
    ("compress", include_str!("../../recipes/compress.rcp")),
    ("compress2", include_str!("../../recipes/compress2.rcp")),
    ("resyn2rs", include_str!("../../recipes/resyn2rs.rcp")),
    ("compress2rs", include_str!("../../recipes/compress2rs.rcp")),
];

impl Recipe {
    /// Parses recipe text; `source_name` names it in errors. Names of shipped recipes
    /// ([`Recipe::named`]) may be used as steps and are expanded. Every step must be implemented
    /// in this build.
    pub fn parse(text: &str, source_name: &str) -> Result<Recipe, RecipeError> {
        let mut steps = Vec::new();
        Self::parse_into(text, source_name, &mut steps, 0)?;
        Ok(Recipe { steps })
    }

    fn parse_into(text: &str, source_name: &str, steps: &mut Vec<Step>, depth: usize) -> Result<(), RecipeError> {
        if depth > 8 {
            return Err(RecipeError::TooDeep { source_name: source_name.to_string() });
        }
        let mut position = 0;
        for (i, raw_line) in text.lines().enumerate() {
            let line = raw_line.split('#').next().unwrap_or("");
            for part in line.split(';') {
                let part = part.trim();
                if part.is_empty() {
                    continue;
                }
                position += 1;
                if let Some(body) = Self::named_text(part) {
                    Self::parse_into(body, part, steps, depth + 1)?;
                    continue;
                }
                let step: Step = part.parse().map_err(|error| RecipeError::Step {
                    source_name: source_name.to_string(),
                    line: i + 1,
                    position,
                    error,
                })?;
                if !step.mv.is_implemented() {
                    return Err(RecipeError::NotImplemented {
                        source_name: source_name.to_string(),
                        line: i + 1,
                        position,
                        step: step.to_string(),
                    });
                }
                steps.push(step);
            }
        }
        Ok(())
    }

    fn named_text(name: &str) -> Option<&'static str> {
        NAMED.iter().find(|(n, _)| *n == name).map(|(_, t)| *t)
    }

    /// A shipped recipe by name (`resyn2`, ...), or `None`. Errors if it uses a move this build
    /// does not implement yet.
    pub fn named(name: &str) -> Option<Result<Recipe, RecipeError>> {
        Self::named_text(name).map(|t| Self::parse(t, name))
    }

    /// The names of the shipped recipes.
    pub fn names() -> impl Iterator<Item = &'static str> {
        NAMED.iter().map(|(n, _)| *n)
    }

    /// Reads and parses a recipe file.
    pub fn from_file(path: &Path) -> Result<Recipe, RecipeError> {
        let text =
            std::fs::read_to_string(path).map_err(|error| RecipeError::Io { file: path.to_path_buf(), error })?;
        Self::parse(&text, &path.display().to_string())
    }

    /// A recipe of plain moves.
    pub fn from_moves(moves: &[Move]) -> Recipe {
        Recipe { steps: moves.iter().map(|&m| Step::from(m)).collect() }
    }
}

impl fmt::Display for Recipe {
    /// ABC's script syntax: `balance; rewrite; rewrite -z`.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for (i, s) in self.steps.iter().enumerate() {
            if i > 0 {
                f.write_str("; ")?;
            }
            write!(f, "{s}")?;
        }
        Ok(())
    }
}

/// What one step did.
#[derive(Clone, Debug, PartialEq, serde::Serialize)]
pub struct MoveStats {
    /// The step, in ABC's spelling.
    pub step: String,
    /// AND nodes before.
    pub ands_before: usize,
    /// AND nodes after.
    pub ands_after: usize,
    /// Depth before.
    pub levels_before: u32,
    /// Depth after.
    pub levels_after: u32,
    /// Wall time of the step itself, in seconds.
    pub seconds: f64,
}

/// Applies one move with ABC's default options, exactly as the ABC command would in a running
/// ABC session (no renumbering beyond what the command itself does: after `balance` the nodes
/// are in creation order). The result is functionally equivalent to the input; the in-place
/// moves never increase the depth.
///
/// # Panics
/// If the move is not implemented in this build ([`Move::is_implemented`]); recipes check this
/// when they are parsed.
pub fn apply(aig: &mut Aig, mv: Move) -> MoveStats {
    apply_step(aig, &Step::from(mv))
}

/// Applies one step (a move with options); see [`apply`].
///
/// # Panics
/// If the move is not implemented in this build ([`Move::is_implemented`]).
pub fn apply_step(aig: &mut Aig, step: &Step) -> MoveStats {
    let ands_before = aig.num_ands();
    let levels_before = depth(aig);
    let t = Instant::now();
    match step.mv {
        Move::Balance => {
            let params = BalanceParams { minimize_levels: !step.toggle_levels, duplicate: step.duplicate };
            balance(aig, &params);
        }
        Move::Rewrite | Move::RewriteZ => {
            let params = RewriteParams {
                zero_gain: step.mv.zero_gain(),
                preserve_levels: !step.toggle_levels,
                ..RewriteParams::default()
            };
            rewrite(aig, &params);
        }
        Move::Refactor | Move::RefactorZ => {
            let params = RefactorParams {
                zero_gain: step.mv.zero_gain(),
                preserve_levels: !step.toggle_levels,
                max_leaves: step.cut_size.map_or(RefactorParams::default().max_leaves, |n| n as usize),
                ..RefactorParams::default()
            };
            refactor(aig, &params);
        }
        Move::Resub | Move::ResubZ => {
            let params = ResubParams {
                zero_gain: step.mv.zero_gain(),
                preserve_levels: !step.toggle_levels,
                max_leaves: step.cut_size.map_or(ResubParams::default().max_leaves, |k| k as usize),
                max_inserts: step.max_added.unwrap_or(ResubParams::default().max_inserts),
                ..ResubParams::default()
            };
            resub(aig, &params);
        }
    }
    let seconds = t.elapsed().as_secs_f64();
    MoveStats {
        step: step.to_string(),
        ands_before,
        ands_after: aig.num_ands(),
        levels_before,
        levels_after: depth(aig),
        seconds,
    }
}

/// Runs a recipe on `aig`, calling `each` after every step. With `restrash` the AIG is compacted
/// in DFS order after every step, as when ABC-RL writes and re-reads (`read; strash`) the design
/// between actions; without it the steps follow each other as in one ABC script.
pub fn run(aig: &mut Aig, recipe: &Recipe, restrash: bool, mut each: impl FnMut(&MoveStats)) -> Vec<MoveStats> {
    let mut all = Vec::with_capacity(recipe.steps.len());
    for step in &recipe.steps {
        let mut st = apply_step(aig, step);
        if restrash {
            let t = Instant::now();
            aig.compact();
            st.seconds += t.elapsed().as_secs_f64();
        }
        each(&st);
        all.push(st);
    }
    all
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn move_spelling_round_trips() {
        for m in Move::ALL {
            assert_eq!(m.to_string().parse::<Move>().unwrap(), m);
            assert_eq!(m.short_name().parse::<Move>().unwrap(), m);
        }
        assert_eq!("rewrite  -z".parse::<Move>().unwrap(), Move::RewriteZ);
        assert_eq!("rwz -z".parse::<Move>().unwrap(), Move::Rewrite);
        assert!("resub -K 6".parse::<Move>().is_err());
        assert!("fraig".parse::<Move>().is_err());
    }

    #[test]
    fn step_options() {
        let s: Step = "rs -K 6 -N 2 -z".parse().unwrap();
        assert_eq!(s.mv, Move::ResubZ);
        assert_eq!((s.cut_size, s.max_added), (Some(6), Some(2)));
        assert_eq!(s.to_string(), "resub -K 6 -N 2 -z");
        assert_eq!(s.to_string().parse::<Step>().unwrap(), s);
        let b: Step = "b -l".parse().unwrap();
        assert!(b.toggle_levels);
        assert_eq!(b.to_string(), "balance -l");
        assert!("resub -K 3".parse::<Step>().is_err());
        assert!("resub -N 4".parse::<Step>().is_err());
        assert!("rewrite -K 4".parse::<Step>().is_err());
        assert!("balance -z".parse::<Step>().is_err());
        assert!("resub -K".parse::<Step>().is_err());
    }

    #[test]
    fn recipes_parse_with_comments_and_newlines() {
        let r = Recipe::parse("# comment\nb; rw # trailing\n\nrwz;;\n", "t").unwrap();
        assert_eq!(r.to_string(), "balance; rewrite; rewrite -z");
        let r = Recipe::parse("resyn; b", "t").unwrap();
        assert_eq!(r.steps.len(), 7);
        match Recipe::parse("b; rw; frobnicate -x; b", "inline") {
            Err(RecipeError::Step { position, line, error: StepError::Unknown(t), .. }) => {
                assert_eq!((position, line, t.as_str()), (3, 1, "frobnicate -x"));
            }
            other => panic!("unexpected {other:?}"),
        }
        let r = Recipe::parse("b\nrw\nrf; rsz; resub -K 6 -N 2", "x.rcp").unwrap();
        assert_eq!(r.to_string(), "balance; rewrite; refactor; resub -z; resub -K 6 -N 2");
    }

    #[test]
    fn shipped_recipes_are_valid_abc_syntax() {
        for name in Recipe::names() {
            let text = NAMED.iter().find(|(n, _)| *n == name).unwrap().1;
            // Every step parses (implemented or not).
            for part in text.lines().flat_map(|l| l.split('#').next().unwrap_or("").split(';')) {
                let part = part.trim();
                if !part.is_empty() {
                    part.parse::<Step>().unwrap_or_else(|e| panic!("{name}: {e}"));
                }
            }
        }
        let r = Recipe::named("resyn2a").unwrap().unwrap();
        assert_eq!(r.to_string(), "balance; rewrite; balance; rewrite; rewrite -z; balance; rewrite -z; balance");
    }
}
