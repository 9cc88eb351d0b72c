use std::io::{IsTerminal, Write};
use std::process::ExitCode;

use clap::Parser;

use infralint::cli::{CheckFormat, Cli, Command, CostFormat, InputArgs, InspectFormat};
use infralint::discover::DiscoverOptions;
use infralint::eval::EvalOptions;
use infralint::pipeline::{self, LoadOptions};
use infralint::report;

/// Exit code for usage, config and internal errors.
const EXIT_ERROR: u8 = 2;

fn main() -> ExitCode {
    let cli = Cli::parse();
    match run(cli) {
        Ok(code) => ExitCode::from(code),
        Err(message) => {
            eprintln!("infralint: error: {message}");
            ExitCode::from(EXIT_ERROR)
        }
    }
}

fn load_options(input: &InputArgs) -> LoadOptions {
    let cwd = std::env::current_dir().unwrap_or_default();
    LoadOptions {
        paths: input.paths.clone(),
        discover: DiscoverOptions {
            exclude: input.exclude.clone(),
        },
        eval: EvalOptions {
            var_files: input.var_files.clone(),
            vars: input.vars.clone(),
            allowed_roots: vec![cwd],
        },
    }
}

fn run(cli: Cli) -> Result<u8, String> {
    match cli.command {
        Command::Check(args) => {
            let model = pipeline::load(&load_options(&args.input)).map_err(|e| e.to_string())?;
            let result = infralint::check(model);
            let rendered = match args.format {
                CheckFormat::Text => {
                    let color = args.output.is_none()
                        && std::io::stdout().is_terminal()
                        && std::env::var_os("NO_COLOR").is_none();
                    report::text::render(
                        &result,
                        report::text::TextOptions {
                            color,
                            quiet: false,
                        },
                    )
                }
                CheckFormat::Json => report::json::render(&result),
            };
            write_output(args.output.as_deref(), &rendered)?;
            Ok(u8::from(result.fails(args.fail_on)))
        }
        Command::Inspect(args) => {
            let model = pipeline::load(&load_options(&args.input)).map_err(|e| e.to_string())?;
            let doc = match args.format {
                InspectFormat::Json => infralint::inspect::to_json(&model),
            };
            let mut text = serde_json::to_string_pretty(&doc).map_err(|e| e.to_string())?;
            text.push('\n');
            write_output(None, &text)?;
            Ok(u8::from(
                model.diagnostics.iter().any(|d| d.code.fails_run()),
            ))
        }
        Command::Cost(args) => {
            use infralint::pricing;
            let prices = match &args.pricing {
                Some(dir) => pricing::PriceBook::from_dir(dir)?,
                None => pricing::PriceBook::bundled(),
            };
            let usage = match &args.usage_file {
                Some(f) => pricing::UsageFile::load(f)?,
                None => pricing::UsageFile::default(),
            };
            let options = pricing::CostOptions {
                region: args.region.clone(),
                usage,
                prices,
            };
            let model = pipeline::load(&load_options(&args.input)).map_err(|e| e.to_string())?;
            let report = pricing::estimate(&model, &options);
            if let Some(reference) = &args.compare_to {
                let base = pricing::diff::baseline(reference)?;
                let here = std::env::current_dir().map_err(|e| e.to_string())?;
                // Same relative paths, same display paths and scopes: run from the baseline.
                std::env::set_current_dir(&base.cwd).map_err(|e| e.to_string())?;
                // Paths that did not exist yet in the baseline contribute nothing to it.
                let mut opts = load_options(&args.input);
                let had_paths = !opts.paths.is_empty();
                opts.paths.retain(|p| p.exists());
                let loaded = if had_paths && opts.paths.is_empty() {
                    Ok(infralint::ir::Model::default())
                } else {
                    pipeline::load(&opts)
                };
                std::env::set_current_dir(&here).map_err(|e| e.to_string())?;
                let before = pricing::estimate(&loaded.map_err(|e| e.to_string())?, &options);
                let d = pricing::diff::diff(&before, &report, reference);
                let rendered = match args.format {
                    CostFormat::Table => pricing::diff::table(&d),
                    CostFormat::Json => pricing::diff::json(&d),
                    CostFormat::Markdown => pricing::diff::markdown(&d),
                };
                write_output(args.output.as_deref(), &rendered)?;
                return Ok(0);
            }
            let rendered = match args.format {
                CostFormat::Table => pricing::render::table(&report),
                CostFormat::Json => pricing::render::json(&report),
                CostFormat::Markdown => pricing::render::markdown(&report),
            };
            write_output(args.output.as_deref(), &rendered)?;
            Ok(u8::from(
                model.diagnostics.iter().any(|d| d.code.fails_run()),
            ))
        }
    }
}

fn write_output(path: Option<&std::path::Path>, text: &str) -> Result<(), String> {
    match path {
        Some(p) => {
            std::fs::write(p, text).map_err(|e| format!("cannot write {}: {e}", p.display()))
        }
        None => {
            let mut out = std::io::stdout().lock();
            // A closed pipe (e.g. `| head`) is not an error worth reporting.
            let _ = out.write_all(text.as_bytes());
            Ok(())
        }
    }
}
