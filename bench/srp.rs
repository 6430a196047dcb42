//! One SRP sign-in's local work (src/auth/srp.rs): A = g^a, then on the
//! challenge u, x, g^x, S, the HKDF key and the HMAC signature; the medians
//! of each and of both. Goal: both under 5 ms.
//!
//!   cargo run --release --example srp [runs]      (default 401)
//!
//! Prints numbers only; never fails on a timing.

use std::hint::black_box;
use std::time::{Duration, Instant};

use cognitoidp::auth::srp::{system_random, timestamp, Challenge, Srp};

fn median(runs: usize, mut work: impl FnMut()) -> Duration {
    work();
    let mut times: Vec<Duration> = (0..runs)
        .map(|_| {
            let start = Instant::now();
            work();
            start.elapsed()
        })
        .collect();
    times.sort();
    times[runs / 2]
}

fn main() {
    let runs = std::env::args().nth(1).and_then(|runs| runs.parse().ok()).filter(|&runs| runs > 0).unwrap_or(401);
    // A full-width B, as a server sends: the public value of another private value.
    let server_public = Srp::from_private(&[0x5a; 128]).expect("fixed private value").public_hex();
    let challenge = Challenge {
        pool_name: "AbCdEf123",
        user_id: "0b5c3a76-3c3e-4a51-9b3b-5d8c7b1e2f10",
        salt_hex: "36ef01c6dde9fe503da333b1acc758ba",
        srp_b_hex: &server_public,
        secret_block: "AgV4hdAD1QGtEjsGCfWqnm0TP6RGkzsFlA==",
    };
    let time = timestamp(1_793_667_723);
    let client = Srp::new(&mut system_random).expect("random source");
    let new = median(runs, || {
        black_box(Srp::new(&mut system_random).expect("random source"));
    });
    let answer = median(runs, || {
        black_box(client.password_claim(&challenge, "correct horse", &time).expect("claim"));
    });
    let both = median(runs, || {
        let client = Srp::new(&mut system_random).expect("random source");
        black_box(client.password_claim(&challenge, "correct horse", &time).expect("claim"));
    });
    let ms = |d: Duration| d.as_secs_f64() * 1e3;
    println!("srp: medians of {runs} runs");
    println!("Srp::new (A = g^a)          {:>7.3} ms", ms(new));
    println!("password_claim (S, key, MAC) {:>6.3} ms", ms(answer));
    println!("both: one sign-in's work    {:>7.3} ms (goal: under 5 ms)", ms(both));
}
