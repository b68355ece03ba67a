//! The same three calls as `overhead.rs`, measured paired: in each round every
//! variant makes a burst of calls, in an order that rotates from round to round,
//! so that a slow spell of a shared machine hits all three alike. Prints each
//! variant's median time per call over the rounds, and the generated client's
//! overhead against the hand-written call as the median of the per-round ratios.
//!
//! Run: cargo bench --manifest-path bench/overhead/Cargo.toml --bench paired

use std::hint::black_box;
use std::time::Instant;

use clientgen_overhead_bench::{clients, generated, hand_written};

const ROUNDS: usize = 900;
const BURST: u32 = 40;
const VARIANTS: [&str; 3] = ["hand-written reqwest", "generated client", "generated client, retries off"];

fn main() {
    // `cargo bench` passes `--bench`; a filter or `--list` from the harness is not supported.
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    runtime.block_on(async {
        let clients = &clients().await;
        let call = |variant: usize| async move {
            match variant {
                0 => black_box(hand_written(&clients.http, &clients.base).await),
                1 => black_box(generated(&clients.generated).await),
                _ => black_box(generated(&clients.no_retries).await),
            }
        };

        // Warm-up: connections open, caches filled.
        for _ in 0..200 {
            for variant in 0..3 {
                call(variant).await;
            }
        }

        let mut per_call: [Vec<f64>; 3] = Default::default();
        let mut ratios: [Vec<f64>; 2] = Default::default();
        for round in 0..ROUNDS {
            let mut this_round = [0.0; 3];
            for offset in 0..3 {
                let variant = (round + offset) % 3;
                let start = Instant::now();
                for _ in 0..BURST {
                    call(variant).await;
                }
                this_round[variant] = start.elapsed().as_secs_f64() * 1e6 / f64::from(BURST);
            }
            for (variant, micros) in this_round.iter().enumerate() {
                per_call[variant].push(*micros);
            }
            ratios[0].push(this_round[1] / this_round[0]);
            ratios[1].push(this_round[2] / this_round[0]);
        }

        for (name, samples) in VARIANTS.iter().zip(&mut per_call) {
            println!("{name:<32} median {:>7.1} µs per call", median(samples));
        }
        for (name, samples) in VARIANTS[1..].iter().zip(&mut ratios) {
            println!("{name:<32} {:+.1} % against hand-written (median of {ROUNDS} paired rounds)", (median(samples) - 1.0) * 100.0);
        }
    });
}

fn median(samples: &mut [f64]) -> f64 {
    samples.sort_by(f64::total_cmp);
    samples[samples.len() / 2]
}
