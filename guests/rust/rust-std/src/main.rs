//! riscv-sandbox guest: a static riscv64gc Linux program that uses the real Rust standard library (built from
//! source with -Zbuild-std, panic=unwind). Test argv: `rust-std 20 'two words'`; exits with 7.
//!
//! stdout is deterministic: no times, addresses or random values (HashMap contents are sorted before printing).
//! stderr gets the default panic hook's message and one line written through io::stderr().

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::fmt::Write as _;
use std::hint::black_box;
use std::io::{self, Write};
use std::panic;
use std::process;
use std::time::Instant;

const EXIT_CODE: i32 = 7;

fn fib(n: u32) -> u64 {
    if n < 2 {
        n as u64
    } else {
        fib(n - 1) + fib(n - 2)
    }
}

/// xorshift64: a fixed pseudo-random sequence, the same on every run.
struct XorShift(u64);

impl XorShift {
    fn next(&mut self) -> u64 {
        let mut x = self.0;
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        self.0 = x;
        x
    }
}

#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
enum Shape {
    Circle { r: u32 },
    Rect { w: u32, h: u32 },
    Dot,
}

impl Shape {
    fn area_x100(&self) -> u64 {
        match *self {
            Shape::Circle { r } => r as u64 * r as u64 * 314,
            Shape::Rect { w, h } => w as u64 * h as u64 * 100,
            Shape::Dot => 0,
        }
    }
}

fn section(out: &mut impl Write, name: &str) -> io::Result<()> {
    writeln!(out, "-- {name} --")
}

fn args_part(out: &mut impl Write) -> io::Result<Vec<String>> {
    section(out, "args")?;
    let args: Vec<String> = std::env::args().collect();
    writeln!(out, "argc = {}", args.len())?;
    for (i, a) in args.iter().enumerate() {
        writeln!(out, "argv[{i}] = {a:?} ({} bytes)", a.len())?;
    }
    Ok(args)
}

fn collections_part(out: &mut impl Write) -> io::Result<()> {
    section(out, "collections")?;
    let text = "the quick brown fox jumps over the lazy dog the fox barks and the dog sleeps";

    // HashMap iteration order depends on a random seed: sort before printing.
    let mut counts: HashMap<&str, usize> = HashMap::new();
    for w in text.split_whitespace() {
        *counts.entry(w).or_insert(0) += 1;
    }
    let mut sorted: Vec<(&str, usize)> = counts.iter().map(|(k, v)| (*k, *v)).collect();
    sorted.sort_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(b.0)));
    writeln!(out, "distinct words: {}", counts.len())?;
    let top: Vec<String> = sorted.iter().take(4).map(|(w, c)| format!("{w}={c}")).collect();
    writeln!(out, "most frequent: {}", top.join(", "))?;
    writeln!(out, "contains \"fox\": {}, \"cat\": {}", counts.contains_key("fox"), counts.contains_key("cat"))?;

    // BTreeMap: ordered by key, range queries
    let mut by_len: BTreeMap<usize, Vec<&str>> = BTreeMap::new();
    for w in counts.keys() {
        by_len.entry(w.len()).or_default().push(w);
    }
    for (len, words) in by_len.iter_mut() {
        words.sort_unstable();
        writeln!(out, "len {len}: {}", words.join(" "))?;
    }
    let mid: Vec<usize> = by_len.range(4..=5).map(|(k, _)| *k).collect();
    writeln!(out, "lengths in 4..=5: {mid:?}; first = {:?}, last = {:?}",
             by_len.keys().next(), by_len.keys().next_back())?;

    // HashSet with a sorted view; VecDeque as a ring
    let letters: HashSet<char> = text.chars().filter(|c| c.is_alphabetic()).collect();
    let mut missing: Vec<char> = ('a'..='z').filter(|c| !letters.contains(c)).collect();
    missing.sort();
    writeln!(out, "letters used: {}, missing: {:?}", letters.len(), missing)?;
    let mut ring: VecDeque<u32> = (1..=5).collect();
    ring.rotate_left(2);
    ring.push_front(0);
    ring.push_back(99);
    writeln!(out, "ring: {ring:?}")?;

    // structured data, derived traits
    let mut shapes = vec![
        Shape::Rect { w: 3, h: 4 },
        Shape::Dot,
        Shape::Circle { r: 2 },
        Shape::Rect { w: 1, h: 20 },
        Shape::Circle { r: 1 },
    ];
    shapes.sort();
    writeln!(out, "shapes sorted: {shapes:?}")?;
    shapes.sort_by_key(|s| std::cmp::Reverse(s.area_x100()));
    let areas: Vec<u64> = shapes.iter().map(Shape::area_x100).collect();
    writeln!(out, "areas x100, descending: {areas:?}")?;
    Ok(())
}

fn strings_part(out: &mut impl Write) -> io::Result<()> {
    section(out, "strings")?;
    let mut s = String::new();
    for i in 0..5 {
        write!(s, "{i}:{} ", i * i).unwrap();
    }
    writeln!(out, "built: [{}] (len {}, trimmed {})", s, s.len(), s.trim_end().len())?;
    let greek = "αβγ RISC-V δ";
    writeln!(out, "{greek:?}: {} chars, {} bytes, upper {:?}, reversed {:?}",
             greek.chars().count(), greek.len(), greek.to_uppercase(),
             greek.chars().rev().collect::<String>())?;
    writeln!(out, "[{:>8}] [{:<8}] [{:^8}] [{:*^9}]", "right", "left", "mid", "star")?;
    writeln!(out, "{:#x} {:#o} {:#b} {:08.3} {:+} {:e}", 48879, 8, 5u8, 3.14159, 42, 1234.5f64)?;
    writeln!(out, "{:?} {:?} {} {}", 0.1f64 + 0.2, 1.0f32 / 3.0, f64::MAX, -0.0f64)?;
    writeln!(out, "{:?} {:?} {}", f64::NAN, -f64::INFINITY, (2.0f64).sqrt())?;
    let csv = "10, 20 ,x, 30,,-5";
    let nums: Vec<i64> = csv.split(',').filter_map(|t| t.trim().parse().ok()).collect();
    writeln!(out, "parsed from {csv:?}: {nums:?}, sum {}", nums.iter().sum::<i64>())?;
    Ok(())
}

fn parse_part(out: &mut impl Write) -> io::Result<()> {
    section(out, "parse errors")?;
    match "x".parse::<i32>() {
        Ok(v) => writeln!(out, "\"x\" parsed as {v}?!")?,
        Err(e) => writeln!(out, "\"x\".parse::<i32>(): error: {e} / {e:?}")?,
    }
    writeln!(out, "\"\".parse::<u8>(): {:?}", "".parse::<u8>())?;
    writeln!(out, "\"300\".parse::<u8>(): {:?}", "300".parse::<u8>())?;
    writeln!(out, "\"-129\".parse::<i8>(): {:?}", "-129".parse::<i8>())?;
    writeln!(out, "\"2.5e3\".parse::<f64>(): {:?}", "2.5e3".parse::<f64>())?;
    writeln!(out, "\"1.2.3\".parse::<f64>(): {:?}", "1.2.3".parse::<f64>())?;
    writeln!(out, "\"maybe\".parse::<bool>(): {:?}", "maybe".parse::<bool>())?;
    writeln!(out, "\"ff\" radix 16: {:?}", i32::from_str_radix("ff", 16))?;
    Ok(())
}

fn panic_part(out: &mut impl Write) -> io::Result<()> {
    section(out, "panic")?;
    out.flush()?;
    let v = vec![1, 2, 3];
    let index = black_box(10usize);
    // the default hook reports the panic on stderr; the unwinding is caught here
    let result = panic::catch_unwind(|| v[index]);
    match result {
        Ok(x) => writeln!(out, "no panic, got {x}")?,
        Err(payload) => {
            let msg = payload
                .downcast_ref::<String>()
                .map(String::as_str)
                .or_else(|| payload.downcast_ref::<&str>().copied())
                .unwrap_or("<unknown payload>");
            writeln!(out, "caught panic: {msg}")?;
        }
    }
    // an explicit panic with a &str payload, and a value that survives the unwinding
    let r = panic::catch_unwind(|| -> u32 { panic!("explicit") });
    writeln!(out, "second catch_unwind is_err: {}", r.is_err())?;
    let ok = panic::catch_unwind(|| fib(10));
    writeln!(out, "no-panic catch_unwind: {ok:?}")?;
    writeln!(out, "vector still intact: {v:?}")?;
    Ok(())
}

fn compute_part(out: &mut impl Write, n: u32) -> io::Result<()> {
    section(out, "compute")?;
    writeln!(out, "fib({n}) = {}", fib(n))?;

    let mut rng = XorShift(0x9E37_79B9_7F4A_7C15);
    let mut v: Vec<u32> = (0..1000).map(|_| (rng.next() % 10_000) as u32).collect();
    let sum_before: u64 = v.iter().map(|&x| x as u64).sum();
    v.sort_unstable();
    let sorted_ok = v.windows(2).all(|w| w[0] <= w[1]);
    let sum_after: u64 = v.iter().map(|&x| x as u64).sum();
    writeln!(out, "sorted 1000 values: ok={sorted_ok}, sum {sum_before}/{sum_after}, min {}, median {}, max {}",
             v[0], v[500], v[999])?;
    v.dedup();
    writeln!(out, "distinct: {}; first five: {:?}", v.len(), &v[..5])?;
    let pos = v.binary_search(&v[v.len() / 3]);
    writeln!(out, "binary_search: {pos:?}")?;

    let mut words: Vec<String> = (0..8).map(|i| format!("w{:02}", (i * 37) % 11)).collect();
    words.sort_by(|a, b| b.cmp(a));
    writeln!(out, "words desc: {}", words.join(","))?;

    let checked = [u64::MAX.checked_add(1), 7u64.checked_mul(6), 1u64.checked_sub(2)];
    writeln!(out, "checked: {checked:?}, wrapping: {}, saturating: {}",
             250u8.wrapping_add(10), 250u8.saturating_add(10))?;
    let prod: u128 = (1..=30u128).product();
    writeln!(out, "30! = {prod}")?;
    Ok(())
}

fn main() {
    let start = Instant::now();
    let stdout = io::stdout();
    let mut out = stdout.lock();

    let run = |out: &mut io::StdoutLock| -> io::Result<()> {
        writeln!(out, "Hello from Rust std on RISC-V (rv64gc, glibc, static)")?;
        let args = args_part(out)?;
        let n = args.get(1).and_then(|a| a.parse::<u32>().ok()).unwrap_or(20);
        collections_part(out)?;
        strings_part(out)?;
        parse_part(out)?;
        panic_part(out)?;
        compute_part(out, n)?;

        section(out, "time")?;
        let mid = Instant::now();
        let end = Instant::now();
        writeln!(out, "Instant is monotonic: {}", mid >= start && end >= mid)?;

        section(out, "io")?;
        let mut err = io::stderr().lock();
        writeln!(err, "rust-std: this line goes to stderr")?;
        err.flush()?;
        writeln!(out, "wrote a line to stderr")?;
        writeln!(out, "exiting with {EXIT_CODE}")?;
        out.flush()
    };
    if let Err(e) = run(&mut out) {
        let _ = writeln!(io::stderr(), "rust-std: I/O error: {e}");
        process::exit(1);
    }
    drop(out);
    process::exit(EXIT_CODE);
}
