//! One KSeF `GET /api/v2/sessions/{referenceNumber}` call, decoded into the
//! generated `SessionStatusResponse`, three ways against the same loopback
//! server: the generated client (default settings: retries on), the generated
//! client with retries off, and the same call written by hand with `reqwest`.

use std::hint::black_box;
use std::time::Duration;

use api_clients::ksef::{Client, types::SessionStatusResponse};
use clientgen_overhead_bench::serve;
use criterion::{Criterion, criterion_group, criterion_main};

const REFERENCE: &str = "20250918-EE-2F20AD2000-242386DF86-52";
const TOKEN: &str = "bench-token";

fn calls(c: &mut Criterion) {
    let runtime = tokio::runtime::Builder::new_current_thread().enable_all().build().expect("runtime");
    let address = runtime.block_on(serve());
    let base = format!("http://{address}");
    // Each client has its own connection pool, built from the same defaults.
    let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().expect("client");
    let generated = Client::builder(base.clone()).bearer_token(TOKEN).build().expect("client");
    let no_retries = Client::builder(base.clone()).bearer_token(TOKEN).retries(0).build().expect("client");

    let mut group = c.benchmark_group("ksef get_session_status");
    group.measurement_time(Duration::from_secs(8));
    group.bench_function("hand-written reqwest", |b| {
        b.to_async(&runtime).iter(|| async {
            // What a careful hand-written call does (the reference needs no
            // percent-encoding): authenticate, ask for JSON, check the status, decode.
            let url = format!("{base}/api/v2/sessions/{REFERENCE}");
            let response = http
                .get(url)
                .bearer_auth(TOKEN)
                .header("accept", "application/json")
                .timeout(Duration::from_secs(30))
                .send()
                .await
                .expect("sent");
            assert!(response.status().is_success());
            let bytes = response.bytes().await.expect("read");
            let status: SessionStatusResponse = serde_json::from_slice(&bytes).expect("decodes");
            black_box(status)
        })
    });
    group.bench_function("generated client", |b| {
        b.to_async(&runtime).iter(|| async {
            let status = generated.sessions().get_session_status(REFERENCE).send().await.expect("decodes");
            black_box(status.into_inner())
        })
    });
    group.bench_function("generated client, retries off", |b| {
        b.to_async(&runtime).iter(|| async {
            let status = no_retries.sessions().get_session_status(REFERENCE).send().await.expect("decodes");
            black_box(status.into_inner())
        })
    });
    group.finish();
}

criterion_group!(benches, calls);
criterion_main!(benches);
