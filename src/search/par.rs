//! Splitting work over the cores: pieces handed to rayon's work-stealing pool, so that
//! a core taken by other work does not hold a search up — the other threads take its
//! pieces.

use rayon::prelude::*;
use std::ops::Range;

/// Items per piece: small enough that an idle thread can take some of the work, large
/// enough to pay for handing it over.
const PIECE: usize = 4096;

/// Below this many items one thread is quicker than waking the pool.
const ALONE: usize = 4 * PIECE;

/// Runs `work` over `0..n` cut into pieces, in parallel (on one thread when `threads`
/// is 1 or `n` is small); the results in order.
pub(super) fn split<T: Send>(
    n: usize,
    threads: usize,
    work: impl Fn(Range<usize>) -> T + Sync,
) -> Vec<T> {
    if threads == 1 || n <= ALONE {
        return vec![work(0..n)];
    }
    (0..n.div_ceil(PIECE))
        .into_par_iter()
        .map(|k| work(k * PIECE..((k + 1) * PIECE).min(n)))
        .collect()
}

/// Runs `work` on `items` cut into pieces of whole items (`width` values each), as
/// [`split`] does, with the index of each piece's first item; false when a piece gave
/// up.
pub(super) fn split_mut<T: Send>(
    items: &mut [T],
    width: usize,
    threads: usize,
    work: impl Fn(usize, &mut [T]) -> bool + Sync,
) -> bool {
    let n = items.len() / width.max(1);
    if threads == 1 || n <= ALONE {
        return work(0, items);
    }
    items
        .par_chunks_mut(PIECE * width)
        .enumerate()
        .map(|(k, piece)| work(k * PIECE, piece))
        .reduce(|| true, |a, b| a && b)
}
