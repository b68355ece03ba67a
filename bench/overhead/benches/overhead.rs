//! One KSeF `GET /api/v2/sessions/{referenceNumber}` call, decoded into the
//! generated `SessionStatusResponse`, three ways against the same loopback
//! server: the generated client (default settings: retries on), the generated
//! client with retries off, and the same call written by hand with `reqwest`.

use std::hint::black_box;
use std::time::Duration;

use clientgen_overhead_bench::{clients, generated, hand_written};
use criterion::{Criterion, criterion_group, criterion_main};

fn calls(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    let clients = runtime.block_on(clients());

    let mut group = c.benchmark_group("ksef get_session_status");
    group.measurement_time(Duration::from_secs(8));
    group.bench_function("hand-written reqwest", |b| {
        b.to_async(&runtime).iter(|| async { black_box(hand_written(&clients.http, &clients.base).await) })
    });
    group.bench_function("generated client", |b| {
        b.to_async(&runtime).iter(|| async { black_box(generated(&clients.generated).await) })
    });
    group.bench_function("generated client, retries off", |b| {
        b.to_async(&runtime).iter(|| async { black_box(generated(&clients.no_retries).await) })
    });
    group.finish();
}

criterion_group!(benches, calls);
criterion_main!(benches);
