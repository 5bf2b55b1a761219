//! Model files: the parameters as a burn record (`<name>.bpk`, burnpack format) next to a small
//! JSON metadata file (`<name>.json`: feature-set version, sizes, seed, training designs, final
//! losses, and a content hash of the `.bpk`).
//!
//! Loading checks, in this order, and fails with an error naming the offending file: the metadata
//! parses and is an abcrl policy of this format and feature-set version with valid sizes; the
//! `.bpk` exists and its bytes hash to the recorded value (which catches truncation and corruption
//! before burn parses anything); the record parses; every tensor has the shape the metadata's
//! sizes imply and nothing is missing or left over.
//!
//! A model can be built into the binary with [`embedded_policy!`](crate::embedded_policy), which
//! reads both files with `include_bytes!` at compile time.

use super::features::FEATURE_VERSION;
use super::model::{ModelConfig, PolicyNet, fnv1a64};
use super::train::Losses;
use burn::module::Module;
use burn::store::ModuleRecord;
use burn::tensor::{Bytes, Device};
use std::path::{Path, PathBuf};

/// The `format` field of every model metadata file.
pub const MODEL_FORMAT: &str = "abcrl-policy";
/// Version of the model file layout.
pub const MODEL_FORMAT_VERSION: u32 = 1;

/// The metadata file of a model.
#[derive(Clone, Debug, PartialEq, serde::Serialize, serde::Deserialize)]
pub struct ModelMeta {
    /// Always [`MODEL_FORMAT`].
    pub format: String,
    /// [`MODEL_FORMAT_VERSION`] when written.
    pub format_version: u32,
    /// [`FEATURE_VERSION`] of the features the model was trained on.
    pub feature_version: u32,
    /// Network sizes.
    pub config: ModelConfig,
    /// Seed of the initial parameters.
    pub seed: u64,
    /// UTC date the file was written (`YYYY-MM-DD`).
    pub created: String,
    /// Names of the designs the model was trained on.
    pub training_designs: Vec<String>,
    /// Optimiser steps taken.
    pub train_steps: u64,
    /// Losses of the last training step, if trained.
    pub final_losses: Option<Losses>,
    /// Number of scalar parameters.
    pub num_params: usize,
    /// `fnv1a64:<16 hex digits>` of the `.bpk` bytes (filled in when saving).
    pub content_hash: String,
}

impl ModelMeta {
    /// Metadata for an untrained model of `config` initialised from `seed`.
    pub fn new(config: ModelConfig, seed: u64) -> ModelMeta {
        ModelMeta {
            format: MODEL_FORMAT.to_string(),
            format_version: MODEL_FORMAT_VERSION,
            feature_version: FEATURE_VERSION,
            config,
            seed,
            created: String::new(),
            training_designs: Vec::new(),
            train_steps: 0,
            final_losses: None,
            num_params: 0,
            content_hash: String::new(),
        }
    }
}

/// Why a model could not be saved or loaded. Every variant names the file.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    /// The file could not be read (missing, unreadable).
    #[error("{file}: cannot read model file: {error}")]
    Read {
        /// The file.
        file: PathBuf,
        /// The I/O error.
        error: std::io::Error,
    },
    /// The file could not be written.
    #[error("{file}: cannot write model file: {message}")]
    Write {
        /// The file.
        file: PathBuf,
        /// What failed.
        message: String,
    },
    /// The metadata file is not valid JSON of the expected shape.
    #[error("{file}: not a valid model metadata file: {message}")]
    Meta {
        /// The metadata file.
        file: PathBuf,
        /// The parse error.
        message: String,
    },
    /// The parameter file's bytes do not hash to the value in the metadata.
    #[error(
        "{file}: content hash {found} differs from {expected} recorded in the metadata: \
         the file is truncated, corrupted or belongs to another model"
    )]
    Hash {
        /// The parameter file.
        file: PathBuf,
        /// Hash recorded in the metadata.
        expected: String,
        /// Hash of the bytes found.
        found: String,
    },
    /// The parameter file is not a readable burn record.
    #[error("{file}: not a readable burn record: {message}")]
    Format {
        /// The parameter file.
        file: PathBuf,
        /// The parse error.
        message: String,
    },
    /// The model does not fit: another format or feature-set version, other sizes, or tensors
    /// whose shapes do not match the sizes.
    #[error("{file}: model does not match: {message}")]
    Mismatch {
        /// The offending file.
        file: PathBuf,
        /// What differs.
        message: String,
    },
}

/// The metadata path that goes with a parameter file: `x.bpk` → `x.json`.
pub fn meta_path(bpk: &Path) -> PathBuf {
    bpk.with_extension("json")
}

/// The content hash written to [`ModelMeta::content_hash`].
pub fn content_hash(bytes: &[u8]) -> String {
    format!("fnv1a64:{:016x}", fnv1a64(bytes))
}

/// Saves `net` to `bpk` and its metadata next to it (see [`meta_path`]), both atomically. Fills
/// in `created`, `num_params` and `content_hash`, and returns the metadata as written.
pub fn save(net: &PolicyNet, mut meta: ModelMeta, bpk: &Path) -> Result<ModelMeta, ModelError> {
    let bytes = net
        .clone()
        .into_record()
        .into_bytes()
        .map_err(|e| ModelError::Write { file: bpk.to_path_buf(), message: e.to_string() })?;
    meta.format = MODEL_FORMAT.to_string();
    meta.format_version = MODEL_FORMAT_VERSION;
    meta.num_params = net.num_params();
    meta.content_hash = content_hash(&bytes);
    meta.created = utc_date_today();
    let json = serde_json::to_vec_pretty(&meta).expect("metadata serialises");
    let write = |file: &Path, data: &[u8]| {
        crate::aig::io::write_atomic(file, data)
            .map_err(|e| ModelError::Write { file: file.to_path_buf(), message: e.to_string() })
    };
    write(bpk, &bytes)?;
    write(&meta_path(bpk), &json)?;
    Ok(meta)
}

/// Loads the model in `bpk` (and its metadata file) onto `device`.
pub fn load(bpk: &Path, device: &Device) -> Result<(PolicyNet, ModelMeta), ModelError> {
    let meta_file = meta_path(bpk);
    let read = |file: &Path| std::fs::read(file).map_err(|error| ModelError::Read { file: file.to_path_buf(), error });
    let json = read(&meta_file)?;
    let meta = parse_meta(&json, &meta_file)?;
    let bytes = read(bpk)?;
    let net = load_record(&bytes, &meta, bpk, device)?;
    Ok((net, meta))
}

/// Loads a model from the bytes of its two files; `name` stands for the files in error messages
/// (`<name>.bpk`, `<name>.json`).
pub fn load_bytes(bpk: &[u8], json: &[u8], name: &str, device: &Device) -> Result<(PolicyNet, ModelMeta), ModelError> {
    let bpk_file = PathBuf::from(format!("{name}.bpk"));
    let meta = parse_meta(json, &meta_path(&bpk_file))?;
    let net = load_record(bpk, &meta, &bpk_file, device)?;
    Ok((net, meta))
}

fn parse_meta(json: &[u8], file: &Path) -> Result<ModelMeta, ModelError> {
    let meta: ModelMeta = serde_json::from_slice(json)
        .map_err(|e| ModelError::Meta { file: file.to_path_buf(), message: e.to_string() })?;
    let mismatch = |message: String| ModelError::Mismatch { file: file.to_path_buf(), message };
    if meta.format != MODEL_FORMAT {
        return Err(mismatch(format!("format is {:?}, expected {MODEL_FORMAT:?}", meta.format)));
    }
    if meta.format_version != MODEL_FORMAT_VERSION {
        return Err(mismatch(format!(
            "file format version {} is not supported (this build reads version {MODEL_FORMAT_VERSION})",
            meta.format_version
        )));
    }
    if meta.feature_version != FEATURE_VERSION {
        return Err(mismatch(format!(
            "trained on feature set version {}, this build computes version {FEATURE_VERSION}",
            meta.feature_version
        )));
    }
    meta.config.validate().map_err(|e| mismatch(format!("invalid sizes: {e}")))?;
    Ok(meta)
}

fn load_record(bytes: &[u8], meta: &ModelMeta, file: &Path, device: &Device) -> Result<PolicyNet, ModelError> {
    let found = content_hash(bytes);
    if found != meta.content_hash {
        return Err(ModelError::Hash { file: file.to_path_buf(), expected: meta.content_hash.clone(), found });
    }
    let record = ModuleRecord::from_bytes(Bytes::from_bytes_vec(bytes.to_vec()))
        .map_err(|e| ModelError::Format { file: file.to_path_buf(), message: e.to_string() })?;
    PolicyNet::new(&meta.config, meta.seed, device)
        .try_load_record(record)
        .map_err(|e| ModelError::Mismatch { file: file.to_path_buf(), message: e.to_string() })
}

/// Today's UTC date as `YYYY-MM-DD` (civil-from-days, H. Hinnant's algorithm).
fn utc_date_today() -> String {
    let secs = std::time::SystemTime::now().duration_since(std::time::UNIX_EPOCH).map(|d| d.as_secs()).unwrap_or(0);
    let z = (secs / 86_400) as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + (month <= 2) as i64;
    format!("{year:04}-{month:02}-{day:02}")
}

/// Builds the policy whose files are `<stem>.bpk` and `<stem>.json` into the binary
/// (`include_bytes!`, path relative to the crate root) and loads it:
/// `abcrl::embedded_policy!("models/policy")` is a `Result<Policy, ModelError>`.
#[macro_export]
macro_rules! embedded_policy {
    ($stem:literal) => {
        $crate::learn::Policy::from_bytes(
            include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/", $stem, ".bpk")),
            include_bytes!(concat!(env!("CARGO_MANIFEST_DIR"), "/", $stem, ".json")),
            $stem,
        )
    };
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::aig::Aig;
    use crate::learn::{Features, Policy};

    /// A fresh directory under the system temp dir (removed at the end of the test).
    struct TempDir(PathBuf);

    impl TempDir {
        fn new(name: &str) -> TempDir {
            let dir = std::env::temp_dir().join(format!("abcrl-learn-{}-{name}", std::process::id()));
            let _ = std::fs::remove_dir_all(&dir);
            std::fs::create_dir_all(&dir).unwrap();
            TempDir(dir)
        }
    }

    impl Drop for TempDir {
        fn drop(&mut self) {
            let _ = std::fs::remove_dir_all(&self.0);
        }
    }

    fn features() -> Features {
        let mut g = Aig::new();
        let ins: Vec<_> = (0..6).map(|_| g.add_input()).collect();
        let a = g.xor(ins[0], ins[1]);
        let b = g.and_many(&ins[2..]);
        let c = g.mux(a, b, ins[5]);
        g.add_output(c);
        g.add_output(!a);
        Features::from_aig(&g)
    }

    fn outputs(p: &Policy) -> (Vec<f32>, Vec<([f32; 7], f32)>) {
        let e = p.embed(&features());
        let priors = p.prior_batch(&e, &[vec![], vec![2u8, 6], vec![5, 5, 1]]);
        (e.0, priors)
    }

    fn saved(dir: &TempDir, name: &str, config: ModelConfig, seed: u64) -> (PathBuf, Policy) {
        let path = dir.0.join(format!("{name}.bpk"));
        let p = Policy::new(config, seed);
        p.save(&path).unwrap();
        (path, p)
    }

    fn expect_err(result: Result<Policy, ModelError>) -> ModelError {
        match result {
            Ok(_) => panic!("a broken model file loaded"),
            Err(e) => e,
        }
    }

    #[test]
    fn round_trip_gives_identical_outputs() {
        let dir = TempDir::new("roundtrip");
        let (path, p) = saved(&dir, "m", ModelConfig::tiny(), 42);
        let q = Policy::load(&path).unwrap();
        assert_eq!(outputs(&p), outputs(&q));
        assert_eq!(q.meta().config, ModelConfig::tiny());
        assert_eq!(q.meta().seed, 42);
        assert_eq!(q.meta().num_params, p.net().num_params());
        assert!(q.meta().content_hash.starts_with("fnv1a64:"));
        // From bytes as well, and saving is deterministic (same bytes twice).
        let bpk = std::fs::read(&path).unwrap();
        let json = std::fs::read(meta_path(&path)).unwrap();
        let r = Policy::from_bytes(&bpk, &json, "m").unwrap();
        assert_eq!(outputs(&p), outputs(&r));
        let again = dir.0.join("again.bpk");
        Policy::new(ModelConfig::tiny(), 42).save(&again).unwrap();
        assert_eq!(bpk, std::fs::read(&again).unwrap());
    }

    #[test]
    fn missing_files_are_named() {
        let dir = TempDir::new("missing");
        let e = expect_err(Policy::load(&dir.0.join("none.bpk")));
        assert!(matches!(e, ModelError::Read { .. }));
        assert!(e.to_string().contains("none.json"), "{e}");
        let (path, _) = saved(&dir, "m", ModelConfig::tiny(), 1);
        std::fs::remove_file(&path).unwrap();
        let e = expect_err(Policy::load(&path));
        assert!(matches!(e, ModelError::Read { .. }));
        assert!(e.to_string().contains("m.bpk"), "{e}");
    }

    #[test]
    fn truncated_and_corrupted_records_are_refused() {
        let dir = TempDir::new("corrupt");
        let (path, _) = saved(&dir, "m", ModelConfig::tiny(), 1);
        let bytes = std::fs::read(&path).unwrap();
        std::fs::write(&path, &bytes[..bytes.len() / 2]).unwrap();
        let e = expect_err(Policy::load(&path));
        assert!(matches!(e, ModelError::Hash { .. }), "{e}");
        assert!(e.to_string().contains("m.bpk"), "{e}");
        let mut flipped = bytes.clone();
        let k = flipped.len() - 17;
        flipped[k] ^= 0x40;
        std::fs::write(&path, &flipped).unwrap();
        let e = expect_err(Policy::load(&path));
        assert!(matches!(e, ModelError::Hash { .. }), "{e}");
        // Garbage whose hash was (wrongly) recorded: burn's parser must fail cleanly.
        let json = std::fs::read_to_string(meta_path(&path)).unwrap();
        for garbage in [&bytes[..bytes.len() / 2], &b"not a burnpack at all"[..], &[][..]] {
            let mut meta: ModelMeta = serde_json::from_str(&json).unwrap();
            meta.content_hash = content_hash(garbage);
            let e = expect_err(Policy::from_bytes(garbage, &serde_json::to_vec(&meta).unwrap(), "g"));
            assert!(matches!(e, ModelError::Format { .. }), "{e}");
            assert!(e.to_string().contains("g.bpk"), "{e}");
        }
    }

    #[test]
    fn corrupted_metadata_is_refused() {
        let dir = TempDir::new("meta");
        let (path, _) = saved(&dir, "m", ModelConfig::tiny(), 1);
        let json_path = meta_path(&path);
        let json = std::fs::read_to_string(&json_path).unwrap();
        std::fs::write(&json_path, &json[..json.len() / 2]).unwrap();
        let e = expect_err(Policy::load(&path));
        assert!(matches!(e, ModelError::Meta { .. }), "{e}");
        assert!(e.to_string().contains("m.json"), "{e}");
    }

    #[test]
    fn mismatched_models_are_refused() {
        let dir = TempDir::new("mismatch");
        let (path, _) = saved(&dir, "m", ModelConfig::tiny(), 1);
        let json_path = meta_path(&path);
        let original: ModelMeta = serde_json::from_slice(&std::fs::read(&json_path).unwrap()).unwrap();
        let write = |meta: &ModelMeta| std::fs::write(&json_path, serde_json::to_vec(meta).unwrap()).unwrap();

        // Another feature-set version.
        write(&ModelMeta { feature_version: FEATURE_VERSION + 1, ..original.clone() });
        let e = expect_err(Policy::load(&path));
        assert!(matches!(e, ModelError::Mismatch { .. }) && e.to_string().contains("m.json"), "{e}");
        assert!(e.to_string().contains("feature set version"), "{e}");

        // Another format.
        write(&ModelMeta { format: "something-else".into(), ..original.clone() });
        assert!(matches!(expect_err(Policy::load(&path)), ModelError::Mismatch { .. }));

        // Sizes in the metadata that the record does not have.
        let wider = ModelConfig { gcn_hidden: 16, ..ModelConfig::tiny() };
        write(&ModelMeta { config: wider.clone(), ..original.clone() });
        let e = expect_err(Policy::load(&path));
        assert!(matches!(e, ModelError::Mismatch { .. }) && e.to_string().contains("m.bpk"), "{e}");
        assert!(e.to_string().contains("shape mismatch"), "{e}");

        // A record of other sizes under this metadata (hash updated to match).
        let (other, _) = saved(&dir, "other", wider, 1);
        let other_bytes = std::fs::read(&other).unwrap();
        write(&ModelMeta { content_hash: content_hash(&other_bytes), ..original.clone() });
        std::fs::write(&path, &other_bytes).unwrap();
        let e = expect_err(Policy::load(&path));
        assert!(matches!(e, ModelError::Mismatch { .. }), "{e}");

        // Invalid sizes.
        write(&ModelMeta { config: ModelConfig { n_heads: 3, ..ModelConfig::tiny() }, ..original });
        let e = expect_err(Policy::load(&path));
        assert!(matches!(e, ModelError::Mismatch { .. }) && e.to_string().contains("n_heads"), "{e}");
    }

    #[test]
    fn date_is_plausible() {
        let d = utc_date_today();
        assert_eq!(d.len(), 10);
        let year: i32 = d[..4].parse().unwrap();
        assert!((2024..3000).contains(&year));
    }
}
