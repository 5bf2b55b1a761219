//! The HNSW index of training-design embeddings, with its dump/reload and integrity checks.
//!
//! On disk an index is a directory holding hnsw_rs's dump (`designs.hnsw.graph`,
//! `designs.hnsw.data`) and `index.json`: the design names and embeddings, the hash of the policy
//! model that produced them, checksums of the dump files and the tuned alpha parameters. Loading
//! refuses an index built with another model, and a truncated or corrupted dump, with an error
//! naming the file. Search results are re-ranked by exact cosine distance over the stored
//! embeddings, so they are deterministic and exact whatever the approximate graph returns.

use super::alpha::AlphaParams;
use hnsw_rs::prelude::*;
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};

/// Version of the on-disk layout.
pub const INDEX_FORMAT: u32 = 1;
const BASENAME: &str = "designs";
const META_FILE: &str = "index.json";

/// A training design near the query.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Neighbor {
    /// Design name (e.g. `mcnc/alu2`).
    pub name: String,
    /// Cosine distance 1 − cos to the query.
    pub distance: f64,
}

/// One indexed design.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct IndexEntry {
    /// Design name.
    pub name: String,
    /// Its embedding.
    pub embedding: Vec<f32>,
}

/// The metadata file of an index.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct IndexMeta {
    /// Layout version ([`INDEX_FORMAT`]).
    pub format: u32,
    /// Hash of the policy model whose embeddings are indexed.
    pub model_hash: String,
    /// Embedding dimension.
    pub dims: usize,
    /// Basename of the hnsw_rs dump files.
    pub hnsw_basename: String,
    /// FNV-1a checksum of the `.hnsw.graph` file.
    pub graph_checksum: String,
    /// FNV-1a checksum of the `.hnsw.data` file.
    pub data_checksum: String,
    /// The indexed designs, in insertion order (their position is the HNSW id).
    pub entries: Vec<IndexEntry>,
    /// The alpha schedule tuned for this model.
    pub alpha: AlphaParams,
}

impl IndexMeta {
    /// Content hash (`fnv1a64:<16 hex digits>`, like the model's) of everything that decides a design's retrieval: the model, every entry
    /// (name and embedding, in order) and the α schedule. Two indexes with the same hash give
    /// every design the same neighbours, δ and α.
    pub fn content_hash(&self) -> String {
        let mut bytes = Vec::with_capacity(self.entries.len() * (self.dims * 4 + 16) + 256);
        bytes.extend_from_slice(self.model_hash.as_bytes());
        for e in &self.entries {
            bytes.push(0);
            bytes.extend_from_slice(e.name.as_bytes());
            bytes.push(0);
            for x in &e.embedding {
                bytes.extend_from_slice(&x.to_le_bytes());
            }
        }
        // `Debug` prints every float exactly (shortest round-trip form).
        bytes.extend_from_slice(format!("{:?}", self.alpha).as_bytes());
        format!("fnv1a64:{}", checksum(&bytes))
    }
}

/// Errors of building, storing and loading an index.
#[derive(Debug, thiserror::Error)]
pub enum IndexError {
    /// A file could not be read or written.
    #[error("{}: {error}", file.display())]
    Io {
        /// The file.
        file: PathBuf,
        /// The cause.
        error: std::io::Error,
    },
    /// A file is malformed, truncated or corrupted.
    #[error("{}: {message}", file.display())]
    Corrupt {
        /// The file.
        file: PathBuf,
        /// What is wrong.
        message: String,
    },
    /// The index was built with another model.
    #[error(
        "{}: the retrieval index was built for model {index_hash}, but the policy model is {model_hash}; rebuild it with `abcrl index`",
        file.display()
    )]
    ModelMismatch {
        /// The index metadata file.
        file: PathBuf,
        /// The model hash recorded in the index.
        index_hash: String,
        /// The model hash in use.
        model_hash: String,
    },
    /// The input embeddings are unusable.
    #[error("invalid embeddings: {0}")]
    Invalid(String),
}

/// FNV-1a 64-bit checksum as hex (deterministic, dependency-free).
pub fn checksum(bytes: &[u8]) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for &b in bytes {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0000_0100_0000_01b3);
    }
    format!("{h:016x}")
}

/// Exact cosine distance 1 − cos(a, b); 1 for a zero vector.
pub fn cosine_distance(a: &[f32], b: &[f32]) -> f64 {
    let (mut dot, mut na, mut nb) = (0f64, 0f64, 0f64);
    for (&x, &y) in a.iter().zip(b) {
        dot += f64::from(x) * f64::from(y);
        na += f64::from(x) * f64::from(x);
        nb += f64::from(y) * f64::from(y);
    }
    if na == 0.0 || nb == 0.0 {
        return 1.0;
    }
    (1.0 - dot / (na.sqrt() * nb.sqrt())).max(0.0)
}

/// The index: metadata plus the HNSW graph.
pub struct DesignIndex {
    meta: IndexMeta,
    hnsw: Hnsw<'static, f32, DistCosine>,
}

impl std::fmt::Debug for DesignIndex {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("DesignIndex")
            .field("entries", &self.meta.entries.len())
            .field("model", &self.meta.model_hash)
            .finish()
    }
}

fn new_hnsw(n: usize) -> Hnsw<'static, f32, DistCosine> {
    Hnsw::new(16, n.max(16), 16, 200, DistCosine {})
}

impl DesignIndex {
    /// Builds an index over `entries` (inserted in order, sequentially: deterministic).
    pub fn build(entries: Vec<IndexEntry>, model_hash: &str, alpha: AlphaParams) -> Result<DesignIndex, IndexError> {
        let dims = entries.first().map_or(0, |e| e.embedding.len());
        if dims == 0 {
            return Err(IndexError::Invalid("no designs or empty embeddings".into()));
        }
        for e in &entries {
            if e.embedding.len() != dims {
                return Err(IndexError::Invalid(format!(
                    "{}: {} dimensions, expected {dims}",
                    e.name,
                    e.embedding.len()
                )));
            }
            if e.embedding.iter().all(|&x| x == 0.0) || e.embedding.iter().any(|x| !x.is_finite()) {
                return Err(IndexError::Invalid(format!("{}: zero or non-finite embedding", e.name)));
            }
        }
        let hnsw = new_hnsw(entries.len());
        for (id, e) in entries.iter().enumerate() {
            hnsw.insert((&e.embedding, id));
        }
        let meta = IndexMeta {
            format: INDEX_FORMAT,
            model_hash: model_hash.to_string(),
            dims,
            hnsw_basename: BASENAME.to_string(),
            graph_checksum: String::new(),
            data_checksum: String::new(),
            entries,
            alpha,
        };
        Ok(DesignIndex { meta, hnsw })
    }

    /// The metadata (names, embeddings, model hash, alpha parameters).
    pub fn meta(&self) -> &IndexMeta {
        &self.meta
    }

    /// The tuned alpha parameters.
    pub fn alpha_params(&self) -> &AlphaParams {
        &self.meta.alpha
    }

    /// Replaces the alpha parameters (after tuning); call [`DesignIndex::dump`] to store them.
    pub fn set_alpha_params(&mut self, alpha: AlphaParams) {
        self.meta.alpha = alpha;
    }

    /// Number of indexed designs.
    pub fn len(&self) -> usize {
        self.meta.entries.len()
    }

    /// True if nothing is indexed.
    pub fn is_empty(&self) -> bool {
        self.meta.entries.is_empty()
    }

    /// The `k` nearest designs to `query`, closest first (ties by name).
    pub fn nearest(&self, query: &[f32], k: usize) -> Result<Vec<Neighbor>, IndexError> {
        if query.len() != self.meta.dims {
            return Err(IndexError::Invalid(format!(
                "query has {} dimensions, index has {}",
                query.len(),
                self.meta.dims
            )));
        }
        let n = self.len();
        let want = k.min(n);
        // Ask the graph for a generous candidate set, then rank exactly.
        let cand = self.hnsw.search(query, (2 * want).max(8).min(n), 64.max(n));
        let mut ids: Vec<usize> = cand.iter().map(|c| c.d_id).filter(|&i| i < n).collect();
        ids.sort_unstable();
        ids.dedup();
        let mut out: Vec<Neighbor> = ids
            .into_iter()
            .map(|i| {
                let e = &self.meta.entries[i];
                Neighbor { name: e.name.clone(), distance: cosine_distance(query, &e.embedding) }
            })
            .collect();
        out.sort_by(|a, b| a.distance.total_cmp(&b.distance).then_with(|| a.name.cmp(&b.name)));
        out.truncate(want);
        Ok(out)
    }

    /// Writes the index into `dir` (created if needed): the HNSW dump and `index.json`. The files
    /// are written into a fresh temporary directory first and moved into place at the end.
    pub fn dump(&mut self, dir: &Path) -> Result<(), IndexError> {
        let io = |file: &Path| {
            let file = file.to_path_buf();
            move |error| IndexError::Io { file, error }
        };
        let parent = dir.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
        std::fs::create_dir_all(parent).map_err(io(parent))?;
        let name = dir.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "index".into());
        let tmp = parent.join(format!(".{name}.tmp{}", std::process::id()));
        if tmp.exists() {
            std::fs::remove_dir_all(&tmp).map_err(io(&tmp))?;
        }
        std::fs::create_dir_all(&tmp).map_err(io(&tmp))?;
        let basename = self
            .hnsw
            .file_dump(&tmp, BASENAME)
            .map_err(|e| IndexError::Corrupt { file: tmp.clone(), message: format!("HNSW dump failed: {e}") })?;
        let graph_path = tmp.join(format!("{basename}.hnsw.graph"));
        let data_path = tmp.join(format!("{basename}.hnsw.data"));
        let graph = std::fs::read(&graph_path).map_err(io(&graph_path))?;
        let data = std::fs::read(&data_path).map_err(io(&data_path))?;
        self.meta.hnsw_basename = basename;
        self.meta.graph_checksum = checksum(&graph);
        self.meta.data_checksum = checksum(&data);
        let json = serde_json::to_vec_pretty(&self.meta).map_err(|e| IndexError::Invalid(e.to_string()))?;
        let meta_path = tmp.join(META_FILE);
        std::fs::write(&meta_path, json).map_err(io(&meta_path))?;
        // Swap the new directory into place.
        let old = parent.join(format!(".{name}.old{}", std::process::id()));
        if dir.exists() {
            std::fs::rename(dir, &old).map_err(io(dir))?;
        }
        std::fs::rename(&tmp, dir).map_err(io(dir))?;
        if old.exists() {
            let _ = std::fs::remove_dir_all(&old);
        }
        Ok(())
    }

    /// Loads an index from `dir`, refusing one built for another model than `model_hash`.
    pub fn load(dir: &Path, model_hash: &str) -> Result<DesignIndex, IndexError> {
        let meta_path = dir.join(META_FILE);
        let json = std::fs::read(&meta_path).map_err(|error| IndexError::Io { file: meta_path.clone(), error })?;
        let meta: IndexMeta = serde_json::from_slice(&json).map_err(|e| IndexError::Corrupt {
            file: meta_path.clone(),
            message: format!("not a valid index file: {e}"),
        })?;
        if meta.format != INDEX_FORMAT {
            return Err(IndexError::Corrupt {
                file: meta_path,
                message: format!("index format {} is not supported (expected {INDEX_FORMAT})", meta.format),
            });
        }
        if meta.model_hash != model_hash {
            return Err(IndexError::ModelMismatch {
                file: meta_path,
                index_hash: meta.model_hash,
                model_hash: model_hash.to_string(),
            });
        }
        // Check the dump files before handing them to hnsw_rs, which panics on malformed input.
        for (ext, sum) in [("graph", &meta.graph_checksum), ("data", &meta.data_checksum)] {
            let p = dir.join(format!("{}.hnsw.{ext}", meta.hnsw_basename));
            let bytes = std::fs::read(&p).map_err(|error| IndexError::Io { file: p.clone(), error })?;
            if &checksum(&bytes) != sum {
                return Err(IndexError::Corrupt {
                    file: p,
                    message: "checksum mismatch: the file is truncated or corrupted".into(),
                });
            }
        }
        // hnsw_rs ties the index's lifetime to its loader; the loader is small and loaded once
        // per process, so it is leaked to give the index a 'static lifetime.
        let loader: &'static mut HnswIo = Box::leak(Box::new(HnswIo::new(dir, &meta.hnsw_basename)));
        let hnsw: Hnsw<'static, f32, DistCosine> = loader.load_hnsw().map_err(|e| IndexError::Corrupt {
            file: dir.to_path_buf(),
            message: format!("cannot reload the HNSW graph: {e}"),
        })?;
        if hnsw.get_nb_point() != meta.entries.len() {
            return Err(IndexError::Corrupt {
                file: dir.to_path_buf(),
                message: format!(
                    "graph holds {} designs, index.json lists {}",
                    hnsw.get_nb_point(),
                    meta.entries.len()
                ),
            });
        }
        Ok(DesignIndex { meta, hnsw })
    }

    /// Loads an index from its three files held in memory (the index embedded in the binary):
    /// they are written to a private temporary directory, reloaded, and removed.
    pub fn load_from_bytes(
        json: &[u8],
        graph: &[u8],
        data: &[u8],
        model_hash: &str,
    ) -> Result<DesignIndex, IndexError> {
        static COUNTER: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = COUNTER.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("abcrl-index-{}-{n}", std::process::id()));
        let io = |file: PathBuf| move |error| IndexError::Io { file, error };
        std::fs::create_dir_all(&dir).map_err(io(dir.clone()))?;
        let meta: IndexMeta = serde_json::from_slice(json).map_err(|e| IndexError::Corrupt {
            file: PathBuf::from("<embedded index.json>"),
            message: format!("not a valid index file: {e}"),
        })?;
        let result = (|| {
            std::fs::write(dir.join(META_FILE), json).map_err(io(dir.join(META_FILE)))?;
            let g = dir.join(format!("{}.hnsw.graph", meta.hnsw_basename));
            std::fs::write(&g, graph).map_err(io(g.clone()))?;
            let d = dir.join(format!("{}.hnsw.data", meta.hnsw_basename));
            std::fs::write(&d, data).map_err(io(d.clone()))?;
            DesignIndex::load(&dir, model_hash)
        })();
        let _ = std::fs::remove_dir_all(&dir);
        result
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn entries() -> Vec<IndexEntry> {
        (0..20)
            .map(|i| {
                let embedding: Vec<f32> = (0..16).map(|j| ((i * 7 + j * 3) % 11) as f32 + 0.5).collect();
                IndexEntry { name: format!("d{i:02}"), embedding }
            })
            .collect()
    }

    #[test]
    fn build_dump_reload_round_trip() {
        let es = entries();
        let mut idx = DesignIndex::build(es.clone(), "m1", AlphaParams::default()).unwrap();
        let q = &es[5].embedding;
        let before = idx.nearest(q, 3).unwrap();
        assert_eq!(before[0].name, "d05");
        assert!(before[0].distance < 1e-9);
        let dir = std::env::temp_dir().join(format!("abcrl-test-index-{}", std::process::id()));
        idx.dump(&dir).unwrap();
        idx.dump(&dir).unwrap(); // dumping again replaces the directory
        let re = DesignIndex::load(&dir, "m1").unwrap();
        assert_eq!(re.nearest(q, 3).unwrap(), before);
        // Exact nearest neighbours agree with brute force for every entry.
        for e in &es {
            let got = re.nearest(&e.embedding, 1).unwrap();
            let mut brute: Vec<(f64, &str)> =
                es.iter().map(|o| (cosine_distance(&e.embedding, &o.embedding), o.name.as_str())).collect();
            brute.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(b.1)));
            assert_eq!(got[0].name, brute[0].1);
        }
        // Model mismatch.
        let err = DesignIndex::load(&dir, "other").unwrap_err().to_string();
        assert!(err.contains("rebuild it with `abcrl index`") && err.contains("index.json"), "{err}");
        // From bytes.
        let json = std::fs::read(dir.join(META_FILE)).unwrap();
        let base = re.meta().hnsw_basename.clone();
        let graph = std::fs::read(dir.join(format!("{base}.hnsw.graph"))).unwrap();
        let data = std::fs::read(dir.join(format!("{base}.hnsw.data"))).unwrap();
        let mem = DesignIndex::load_from_bytes(&json, &graph, &data, "m1").unwrap();
        assert_eq!(mem.nearest(q, 3).unwrap(), before);
        // Truncated graph file.
        let err = DesignIndex::load_from_bytes(&json, &graph[..graph.len() / 2], &data, "m1").unwrap_err().to_string();
        assert!(err.contains("truncated or corrupted"), "{err}");
        std::fs::remove_dir_all(&dir).unwrap();
    }

    #[test]
    fn rejects_bad_embeddings() {
        let mut es = entries();
        es[3].embedding = vec![0.0; 16];
        assert!(DesignIndex::build(es, "m", AlphaParams::default()).is_err());
        assert!(DesignIndex::build(Vec::new(), "m", AlphaParams::default()).is_err());
        let idx = DesignIndex::build(entries(), "m", AlphaParams::default()).unwrap();
        assert!(idx.nearest(&[1.0; 3], 1).is_err());
    }
}
