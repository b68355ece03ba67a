//! The `clientgen` command line.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

/// Generates typed async Rust clients from OpenAPI 3.0 documents.
#[derive(Debug, Parser)]
#[command(name = "clientgen", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Regenerates every client of the workspace (clientgen.toml), or with
    /// --spec and --out one spec into a standalone crate.
    Generate {
        /// One OpenAPI 3.0 document (YAML or JSON).
        #[arg(long, requires = "out")]
        spec: Option<PathBuf>,
        /// The directory of the standalone crate.
        #[arg(long, requires = "spec")]
        out: Option<PathBuf>,
        /// The crate name (default: from the spec's file name).
        #[arg(long, requires = "spec")]
        name: Option<String>,
        /// Put each tag's operations, and exactly the types they use, behind
        /// a Cargo feature named after the tag (`full`, the default, turns on all).
        #[arg(long, requires = "spec")]
        tag_features: bool,
    },
    /// Regenerates in memory and fails if the workspace's generated crate differs.
    Check,
}

/// Exit codes: 0 done, 1 stale output or I/O failure, 2 bad input.
fn main() -> ExitCode {
    let cli = Cli::parse();
    let progress = clientgen::progress::Progress::on_terminal();
    let result = match cli.command {
        Command::Generate { spec: Some(spec), out: Some(out), name, tag_features } => {
            let options = clientgen::ApiOptions { tag_features };
            clientgen::standalone_files_with(&spec, &out, name.as_deref(), options, &progress).map(|files| (files, false))
        }
        Command::Generate { .. } => {
            workspace_root().and_then(|root| clientgen::workspace_files_with(&root, &progress)).map(|f| (f, false))
        }
        Command::Check => workspace_root().and_then(|root| clientgen::workspace_files_with(&root, &progress)).map(|f| (f, true)),
    };
    let (files, check) = match result {
        Ok(done) => done,
        Err(error) => {
            drop(progress);
            eprint!("{error}");
            return ExitCode::from(match error {
                clientgen::Error::Internal(_) => 1,
                _ => 2,
            });
        }
    };
    progress.stage(if check { "comparing with the files on disk" } else { "writing files" });
    let outcome = if check { files.changes() } else { files.write() };
    // The progress line is erased before the run's own report.
    drop(progress);
    if check {
        return match outcome {
            Ok(changes) if changes.is_empty() => {
                eprintln!("{} is up to date", files.root.display());
                ExitCode::SUCCESS
            }
            Ok(changes) => {
                eprintln!(
                    "{} is stale; run `cargo run --release -p clientgen -- generate`:\n{}",
                    files.root.display(),
                    changes.summary()
                );
                ExitCode::from(1)
            }
            Err(error) => {
                eprintln!("{}: {error}", files.root.display());
                ExitCode::from(1)
            }
        };
    }
    match outcome {
        Ok(changes) if changes.is_empty() => {
            eprintln!("{}: unchanged", files.root.display());
            ExitCode::SUCCESS
        }
        Ok(changes) => {
            eprint!("{}: updated\n{}", files.root.display(), changes.summary());
            ExitCode::SUCCESS
        }
        Err(error) => {
            eprintln!("{}: {error}", files.root.display());
            ExitCode::from(1)
        }
    }
}

fn workspace_root() -> Result<PathBuf, clientgen::Error> {
    let here = std::env::current_dir().map_err(|e| clientgen::Error::Config(format!("cannot read the current directory: {e}")))?;
    clientgen::config::find_root(&here).ok_or_else(|| {
        clientgen::Error::Config(format!(
            "no {} found in {} or its parents; run from the workspace or pass --spec and --out",
            clientgen::config::FILE_NAME,
            here.display()
        ))
    })
}
