//! The `clientgen` command line.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Parser, Subcommand};

#[cfg(feature = "mimalloc")]
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Generates typed async Rust clients from OpenAPI documents (Swagger 2.0, OpenAPI 3.0 and 3.1).
#[derive(Debug, Parser)]
#[command(name = "clientgen", version, about)]
struct Cli {
    #[command(subcommand)]
    command: Command,
    /// Treats warnings (degraded constructs) as errors: exit 2, nothing written.
    #[arg(long, global = true)]
    deny_warnings: bool,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Regenerates every client of the workspace (clientgen.toml), or with
    /// --spec and --out one spec into a standalone crate.
    Generate {
        /// One spec (Swagger 2.0, OpenAPI 3.0 or 3.1; YAML or JSON; may reference other local files).
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
        Command::Generate { .. } => workspace_root(" or pass --spec and --out")
            .and_then(|root| clientgen::workspace_files_with(&root, &progress))
            .map(|f| (f, false)),
        Command::Check => {
            workspace_root("").and_then(|root| clientgen::workspace_files_with(&root, &progress)).map(|f| (f, true))
        }
    };
    let (generated, check) = match result {
        Ok(done) => done,
        Err(error) => {
            drop(progress);
            eprint!("{error}");
            return ExitCode::from(match error {
                clientgen::Error::Internal(_) | clientgen::Error::Io(_) => 1,
                clientgen::Error::Input(_) | clientgen::Error::Config(_) | clientgen::Error::Usage(_) => 2,
            });
        }
    };
    if cli.deny_warnings && !generated.warnings.is_empty() {
        drop(progress);
        eprint!("{}", generated.warnings.denied());
        return ExitCode::from(2);
    }
    eprint!("{}", generated.warnings);
    let files = generated.output;
    progress.stage(if check { "comparing with the files on disk" } else { "writing files" });
    if check {
        let outcome = files.changes();
        // The progress line is erased before the run's own report.
        drop(progress);
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
    let outcome = files.write();
    drop(progress);
    match outcome {
        Ok(changes) if changes.is_empty() => {
            eprintln!("{}: unchanged", files.root.display());
            ExitCode::SUCCESS
        }
        Ok(changes) => {
            eprint!("{}: updated\n{}", files.root.display(), changes.summary());
            ExitCode::SUCCESS
        }
        Err(error @ clientgen::output::WriteError::Foreign(_)) => {
            eprintln!("{}: {error}", files.root.display());
            ExitCode::from(2)
        }
        Err(error) => {
            eprintln!("{}: {error}", files.root.display());
            ExitCode::from(1)
        }
    }
}

/// The workspace holding the current directory; `alternative` completes the
/// advice given when there is none.
fn workspace_root(alternative: &str) -> Result<PathBuf, clientgen::Error> {
    let here = std::env::current_dir().map_err(|e| clientgen::Error::Config(format!("cannot read the current directory: {e}")))?;
    clientgen::config::find_root(&here).ok_or_else(|| {
        clientgen::Error::Config(format!(
            "no {} found in {} or its parents; run from the workspace{alternative}",
            clientgen::config::FILE_NAME,
            here.display()
        ))
    })
}
