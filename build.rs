//! Build script: detects whether a trained model and retrieval index are shipped in `models/`,
//! so that the binary embeds them when present (cfg `abcrl_shipped_model`, `abcrl_shipped_index`)
//! and still builds — with a clear "no model shipped" error at run time — when they are not.

use std::path::Path;

fn main() {
    println!("cargo::rustc-check-cfg=cfg(abcrl_shipped_model)");
    println!("cargo::rustc-check-cfg=cfg(abcrl_shipped_index)");
    for f in ["models/policy.bpk", "models/policy.json", "models/index/index.json"] {
        println!("cargo::rerun-if-changed={f}");
    }
    println!("cargo::rerun-if-changed=models");
    println!("cargo::rerun-if-changed=models/index");
    if Path::new("models/policy.bpk").is_file() && Path::new("models/policy.json").is_file() {
        println!("cargo::rustc-cfg=abcrl_shipped_model");
    }
    let index = Path::new("models/index/index.json");
    if index.is_file() {
        // The dump files' names are recorded in index.json ("hnsw_basename").
        let basename = std::fs::read_to_string(index)
            .ok()
            .and_then(|t| {
                let key = "\"hnsw_basename\":";
                let rest = &t[t.find(key)? + key.len()..];
                let start = rest.find('"')? + 1;
                let end = start + rest[start..].find('"')?;
                Some(rest[start..end].to_string())
            })
            .unwrap_or_else(|| "designs".to_string());
        let graph = format!("models/index/{basename}.hnsw.graph");
        let data = format!("models/index/{basename}.hnsw.data");
        if Path::new(&graph).is_file() && Path::new(&data).is_file() {
            println!("cargo::rustc-cfg=abcrl_shipped_index");
            println!("cargo::rustc-env=ABCRL_INDEX_GRAPH={graph}");
            println!("cargo::rustc-env=ABCRL_INDEX_DATA={data}");
            println!("cargo::rerun-if-changed={graph}");
            println!("cargo::rerun-if-changed={data}");
        }
    }
}
