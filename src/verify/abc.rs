//! Berkeley ABC as an optional external referee: replay a recipe, map with a liberty library,
//! check equivalence. abcrl never needs ABC; this module only cross-checks what abcrl did.
//!
//! The binary is looked up as `--abc-bin`, `$ABC`, then `berkeley-abc`, `yosys-abc`, `abc` on
//! PATH. Each call is one ABC process, exactly as the published tools evaluate recipes.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Instant;

/// QoR figures as ABC reports them (`print_stats` before mapping, `stime` after).
#[derive(Clone, Copy, Debug, Default, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct AbcQor {
    /// AND nodes after the recipe.
    pub ands: usize,
    /// Levels after the recipe.
    pub levels: u32,
    /// Mapped area.
    pub area: f64,
    /// Mapped delay (ps), from `stime`.
    pub delay_ps: f64,
    /// Area × delay.
    pub adp: f64,
    /// Mapped gate count.
    pub gates: usize,
}

/// Errors running ABC.
#[derive(Debug, thiserror::Error)]
pub enum AbcError {
    /// No ABC binary was found.
    #[error("no ABC binary found (install berkeley-abc, or pass --abc-bin / set $ABC)")]
    NotFound,
    /// The process could not be started.
    #[error("cannot run {}: {error}", binary.display())]
    Spawn {
        /// The binary.
        binary: PathBuf,
        /// The cause.
        error: std::io::Error,
    },
    /// ABC ran but its output lacks the expected result.
    #[error("ABC failed on `{script}`: {output}")]
    Failed {
        /// The script run.
        script: String,
        /// The end of ABC's output.
        output: String,
    },
}

/// A located ABC binary.
#[derive(Clone, Debug)]
pub struct Abc {
    binary: PathBuf,
}

fn on_path(name: &str) -> Option<PathBuf> {
    let path = std::env::var_os("PATH")?;
    std::env::split_paths(&path).map(|d| d.join(name)).find(|p| p.is_file())
}

/// Removes ANSI colour codes (yosys-abc colours its `stime` line).
fn strip_ansi(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars().peekable();
    while let Some(c) = chars.next() {
        if c == '\u{1b}' {
            for d in chars.by_ref() {
                if d.is_ascii_alphabetic() {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}

fn number_after(line: &str, key: &str) -> Option<f64> {
    let rest = &line[line.find(key)? + key.len()..];
    let rest = rest.trim_start().trim_start_matches('=').trim_start();
    let end = rest
        .find(|c: char| !(c.is_ascii_digit() || c == '.' || c == '-' || c == 'e' || c == '+'))
        .unwrap_or(rest.len());
    rest[..end].parse().ok()
}

/// Parses the last `print_stats` line: (ands, levels).
fn parse_stats(out: &str) -> Option<(usize, u32)> {
    let line = out.lines().rev().find(|l| l.contains("and =") && l.contains("lev ="))?;
    Some((number_after(line, "and =")? as usize, number_after(line, "lev =")? as u32))
}

/// Parses the last `stime` line: (gates, area, delay).
fn parse_stime(out: &str) -> Option<(usize, f64, f64)> {
    let line = out.lines().rev().find(|l| l.contains("Area =") && l.contains("Delay ="))?;
    Some((number_after(line, "Gates =")? as usize, number_after(line, "Area =")?, number_after(line, "Delay =")?))
}

impl Abc {
    /// Finds ABC: `explicit`, then `$ABC`, then `berkeley-abc`, `yosys-abc`, `abc` on PATH.
    pub fn find(explicit: Option<&Path>) -> Result<Abc, AbcError> {
        if let Some(p) = explicit {
            return Ok(Abc { binary: p.to_path_buf() });
        }
        if let Some(p) = std::env::var_os("ABC").map(PathBuf::from).filter(|p| p.is_file()) {
            return Ok(Abc { binary: p });
        }
        for name in ["berkeley-abc", "yosys-abc", "abc"] {
            if let Some(p) = on_path(name) {
                return Ok(Abc { binary: p });
            }
        }
        Err(AbcError::NotFound)
    }

    /// The binary in use.
    pub fn binary(&self) -> &Path {
        &self.binary
    }

    /// Runs one ABC script; returns its output (colour codes removed) and the wall time.
    pub fn run(&self, script: &str) -> Result<(String, f64), AbcError> {
        let start = Instant::now();
        let out = Command::new(&self.binary)
            .arg("-c")
            .arg(script)
            .output()
            .map_err(|error| AbcError::Spawn { binary: self.binary.clone(), error })?;
        let seconds = start.elapsed().as_secs_f64();
        let mut text = String::from_utf8_lossy(&out.stdout).into_owned();
        text.push_str(&String::from_utf8_lossy(&out.stderr));
        Ok((strip_ansi(&text), seconds))
    }

    fn failed(script: &str, out: &str) -> AbcError {
        let tail: String = out.chars().rev().take(600).collect::<Vec<_>>().into_iter().rev().collect();
        AbcError::Failed { script: script.to_string(), output: tail }
    }

    /// Reads `design`, applies `recipe` (ABC syntax, may be empty), maps with `liberty` and runs
    /// `topo; stime` — the ABC-RL evaluation. Returns the QoR and the wall time of the process.
    pub fn qor(&self, design: &Path, recipe: &str, liberty: &Path) -> Result<(AbcQor, f64), AbcError> {
        let mut script = format!("read {}; strash; ", design.display());
        if !recipe.trim().is_empty() {
            script.push_str(recipe.trim().trim_end_matches(';'));
            script.push_str("; ");
        }
        script.push_str(&format!("print_stats; read_lib {}; map; topo; stime", liberty.display()));
        let (out, seconds) = self.run(&script)?;
        let (ands, levels) = parse_stats(&out).ok_or_else(|| Self::failed(&script, &out))?;
        let (gates, area, delay_ps) = parse_stime(&out).ok_or_else(|| Self::failed(&script, &out))?;
        Ok((AbcQor { ands, levels, area, delay_ps, adp: area * delay_ps, gates }, seconds))
    }

    /// ABC's `cec -n` (inputs and outputs matched by order): true if equivalent.
    pub fn cec(&self, a: &Path, b: &Path) -> Result<bool, AbcError> {
        let script = format!("cec -n {} {}", a.display(), b.display());
        let (out, _) = self.run(&script)?;
        if out.contains("Networks are equivalent") {
            Ok(true)
        } else if out.contains("NOT EQUIVALENT") || out.to_lowercase().contains("are not equivalent") {
            Ok(false)
        } else {
            Err(Self::failed(&script, &out))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_abc_output() {
        let out = "alu4 : i/o = 14/ 8 lat = 0 and = 652 lev = 34\n\u{1b}[1;37mWireLoad = \"none\"\u{1b}[0m  Gates = 301 ( 12.3 %)   Cap = 0.6 ff ( 1.0 %)   Area = 41.55 ( 90.0 %)   Delay = 312.45 ps  ( 4.0 %)\n";
        let clean = strip_ansi(out);
        assert_eq!(parse_stats(&clean), Some((652, 34)));
        assert_eq!(parse_stime(&clean), Some((301, 41.55, 312.45)));
    }

    #[test]
    fn runs_abc_when_present() {
        let Ok(abc) = Abc::find(None) else {
            eprintln!("note: no ABC on PATH; skipping");
            return;
        };
        let design = Path::new(env!("CARGO_MANIFEST_DIR")).join("aig/mcnc/b9.aig");
        let lib = Path::new(env!("CARGO_MANIFEST_DIR")).join("libs/asap7/asap7sc7p5t_RVT_TT_abc.lib");
        assert!(abc.cec(&design, &design).unwrap());
        if lib.is_file() {
            let (q, _) = abc.qor(&design, "balance; rewrite", &lib).unwrap();
            assert!(q.ands > 0 && q.area > 0.0 && q.delay_ps > 0.0);
        }
    }
}
