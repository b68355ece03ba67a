//! The machine's cores, shared out to the phases whose pieces are independent.

use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Mutex, OnceLock, PoisonError};

/// How many threads a parallel phase uses: the cores there are, up to four.
/// Asked once: the answer comes from the cgroup files, and examples format
/// thousands of small snippets.
pub fn workers() -> usize {
    static WORKERS: OnceLock<usize> = OnceLock::new();
    *WORKERS.get_or_init(|| std::thread::available_parallelism().map_or(1, usize::from).clamp(1, 4))
}

/// `work(i)` for every `i` in `0..count`, on up to [`workers`] threads, each
/// taking the next index when it is done with one; the results in index
/// order. A worker that panics is an internal error, not a crash.
pub fn map<T: Send>(count: usize, work: &(dyn Fn(usize) -> T + Sync)) -> Result<Vec<T>, String> {
    let threads = workers().min(count);
    if threads <= 1 {
        return Ok((0..count).map(work).collect());
    }
    let next = AtomicUsize::new(0);
    let done: Mutex<Vec<Option<T>>> = Mutex::new((0..count).map(|_| None).collect());
    let all_finished = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..threads)
            .map(|_| {
                scope.spawn(|| {
                    loop {
                        let index = next.fetch_add(1, Ordering::Relaxed);
                        if index >= count {
                            return;
                        }
                        let result = work(index);
                        done.lock().unwrap_or_else(PoisonError::into_inner)[index] = Some(result);
                    }
                })
            })
            .collect();
        // Every handle is joined: one left to the scope would make it panic.
        handles.into_iter().map(|handle| handle.join()).filter(Result::is_err).count() == 0
    });
    if !all_finished {
        return Err(String::from("internal error: a worker thread panicked"));
    }
    Ok(done.into_inner().unwrap_or_else(PoisonError::into_inner).into_iter().flatten().collect())
}

#[cfg(test)]
mod tests {
    #[test]
    fn results_come_back_in_index_order() {
        let squares = super::map(1000, &|i| i * i).unwrap();
        assert_eq!(squares, (0..1000).map(|i| i * i).collect::<Vec<_>>());
        assert!(super::map(0, &|i| i).unwrap().is_empty());
    }

    #[test]
    fn a_worker_that_panics_is_an_internal_error() {
        // With one core the work runs on the calling thread, where a panic is a panic.
        if super::workers() > 1 {
            let result = super::map(64, &|i| if i == 40 { panic!("worker {i} fails") } else { i });
            assert_eq!(result, Err(String::from("internal error: a worker thread panicked")));
        }
    }
}
