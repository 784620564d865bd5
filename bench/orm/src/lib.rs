//! The workload every tool runs (the Python side, `sqlalchemy_bench.py`, mirrors it), and
//! the one line each prints.
//!
//! 1. insert: 1,000 customers (one batch), then 100,000 orders in batches of 1,000, each
//!    batch one multi-row `INSERT .. RETURNING` (the generated keys and `now()` come back);
//! 2. load: the 1,000 customers with their orders: one query for the customers, one batched
//!    `IN` (or `= ANY`) query for all their orders, grouped by customer;
//! 3. filter: 200 times, the 100 newest orders of 5 consecutive customers
//!    (`customer_id >= k AND customer_id < k + 5 ORDER BY order_id DESC LIMIT 100`).
//!
//! Each phase is timed inside the process (wall clock); the peak RSS is the process's
//! `VmHWM` at the end, the CPU time its user + system time. The printed counts let the
//! script check every tool did the same work.

use std::time::Instant;

/// Customers inserted and loaded.
pub const CUSTOMERS: usize = 1_000;
/// Orders inserted (100 a customer).
pub const ORDERS: usize = 100_000;
/// Rows per `INSERT`.
pub const BATCH: usize = 1_000;
/// Filtered queries run.
pub const FILTERS: usize = 200;
/// Customers a filtered query spans.
pub const FILTER_SPAN: i32 = 5;
/// Rows a filtered query returns at most.
pub const FILTER_LIMIT: u64 = 100;

/// The customer id of order `i` (orders spread evenly over the first customers' ids,
/// which are 1..=CUSTOMERS on a fresh database).
pub fn customer_of(ids: &[i32], i: usize) -> i32 {
    ids[i % ids.len()]
}

/// The lower bound of filtered query `i`.
pub fn filter_start(first_id: i32, i: usize) -> i32 {
    first_id + ((i as i32) * FILTER_SPAN) % (CUSTOMERS as i32)
}

/// The phases' times and the rows each saw.
#[derive(Default)]
pub struct Report {
    times: Vec<(&'static str, f64, usize)>,
}

impl Report {
    /// Time `phase`, whose future yields the number of rows it read back.
    pub async fn phase<F: std::future::Future<Output = usize>>(
        &mut self,
        name: &'static str,
        f: F,
    ) {
        let start = Instant::now();
        let rows = f.await;
        self.times.push((name, start.elapsed().as_secs_f64(), rows));
    }

    /// `tool=.. insert=1.234s/101000 load=.. filter=.. peak_rss_kb=.. cpu_s=..` on stdout.
    pub fn print(&self, tool: &str) {
        let mut line = format!("tool={tool}");
        for (name, secs, rows) in &self.times {
            line.push_str(&format!(" {name}={secs:.4}/{rows}"));
        }
        line.push_str(&format!(" peak_rss_kb={}", peak_rss_kb()));
        line.push_str(&format!(" cpu_s={:.3}", cpu_secs()));
        println!("{line}");
    }
}

/// `VmHWM` of this process, in kB (0 where /proc is missing).
pub fn peak_rss_kb() -> u64 {
    std::fs::read_to_string("/proc/self/status")
        .ok()
        .and_then(|s| {
            s.lines()
                .find_map(|l| l.strip_prefix("VmHWM:"))
                .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
        })
        .unwrap_or(0)
}

/// This process's CPU time so far (user + system), in seconds, from `/proc/self/stat` (0
/// where /proc is missing): what the tool itself costs, which load from elsewhere barely
/// moves, unlike the wall-clock phases.
pub fn cpu_secs() -> f64 {
    let ticks = std::fs::read_to_string("/proc/self/stat")
        .ok()
        .and_then(|s| {
            // Fields after the command name (which is in parentheses); utime and stime are
            // the 14th and 15th fields of the line.
            let rest = &s[s.rfind(')')? + 2..];
            let f: Vec<&str> = rest.split_whitespace().collect();
            Some(f.get(11)?.parse::<u64>().ok()? + f.get(12)?.parse::<u64>().ok()?)
        });
    // USER_HZ is 100 on Linux.
    ticks.map_or(0.0, |t| t as f64 / 100.0)
}

/// The database URL from `BENCH_URL`.
pub fn url() -> String {
    std::env::var("BENCH_URL").expect("BENCH_URL names the database (bench/orm.sh sets it)")
}

/// A current-thread runtime, as every tool gets.
pub fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .expect("a tokio runtime")
}
