//! Many calls of one operation at once, at most `concurrency` in flight.
//!
//! R stays in charge of the loop: it asks the batch to make progress for a
//! short while (`poll`), updates its progress bar, and repeats; an interrupt
//! between or during polls cancels what is still in flight. Every request is
//! checked before the first is sent; a bad one gets its error as its result
//! and does not stop the others.

use std::collections::VecDeque;
use std::sync::Arc;
use std::time::Duration;

use tokio::task::JoinSet;

use crate::client::{self, AnyClient, InterruptCheck, Interrupted};
use crate::errors::CallError;
use crate::operations::{Operation, PreparedCall};
use crate::value::Value;

pub type CallResult = Result<Value, CallError>;

/// Work that R drives with short polls (a batch, a pagination): R draws
/// progress between polls, and an interrupt or error cancels the rest.
pub trait Job {
    /// Makes progress for up to `budget`; returns how much is finished
    /// (calls of a batch, pages of a pagination).
    fn poll(&mut self, budget: Duration, interrupted: InterruptCheck) -> Result<usize, Interrupted>;
    fn is_done(&self) -> bool;
    /// Drops whatever is still waiting or in flight.
    fn cancel(&mut self);
    /// The results, each a value or why there is none.
    fn into_results(self: Box<Self>) -> Vec<CallResult>;
}

pub struct Batch {
    runtime: Arc<tokio::runtime::Runtime>,
    client: AnyClient,
    target: String,
    concurrency: usize,
    waiting: VecDeque<(usize, PreparedCall)>,
    running: JoinSet<(usize, CallResult)>,
    results: Vec<Option<CallResult>>,
    finished: usize,
}

impl Batch {
    /// Checks every request and readies the batch; nothing is sent yet.
    pub fn new(
        op: &'static dyn Operation,
        client: AnyClient,
        target: String,
        requests: &[Value],
        concurrency: usize,
    ) -> Batch {
        let mut results: Vec<Option<CallResult>> = Vec::with_capacity(requests.len());
        let mut waiting = VecDeque::new();
        let mut finished = 0;
        for (i, args) in requests.iter().enumerate() {
            match op.prepare(args) {
                Ok(call) => {
                    waiting.push_back((i, call));
                    results.push(None);
                }
                Err(e) => {
                    results.push(Some(Err(e.within("requests", i).into())));
                    finished += 1;
                }
            }
        }
        Batch {
            runtime: client::runtime(),
            client,
            target,
            concurrency: concurrency.max(1),
            waiting,
            running: JoinSet::new(),
            results,
            finished,
        }
    }

}

impl Job for Batch {
    fn is_done(&self) -> bool {
        self.finished == self.results.len()
    }

    fn poll(&mut self, budget: Duration, interrupted: InterruptCheck) -> Result<usize, Interrupted> {
        let runtime = self.runtime.clone();
        client::block_on_with(
            &runtime,
            async {
                let deadline = tokio::time::sleep(budget);
                tokio::pin!(deadline);
                while !self.is_done() {
                    while self.running.len() < self.concurrency {
                        let Some((i, call)) = self.waiting.pop_front() else { break };
                        let pending = call(self.client.clone(), self.target.clone());
                        self.running.spawn(async move { (i, pending.await) });
                    }
                    tokio::select! {
                        joined = self.running.join_next() => match joined {
                            Some(Ok((i, result))) => {
                                self.results[i] = Some(result);
                                self.finished += 1;
                            }
                            // Only a panic ends a task early (none is aborted
                            // while polling); it travels on to become an R error.
                            Some(Err(e)) => std::panic::resume_unwind(e.into_panic()),
                            None => {}
                        },
                        _ = &mut deadline => break,
                    }
                }
            },
            interrupted,
        )?;
        Ok(self.finished)
    }

    fn cancel(&mut self) {
        self.waiting.clear();
        self.running.abort_all();
        let runtime = self.runtime.clone();
        // Let the aborted tasks finish, so their connections are released now.
        let _ = client::block_on_with(&runtime, async { while self.running.join_next().await.is_some() {} }, || false);
    }

    /// The results in request order; calls that never finished (after
    /// `cancel`) are `Interrupted`.
    fn into_results(mut self: Box<Self>) -> Vec<CallResult> {
        self.cancel();
        std::mem::take(&mut self.results)
            .into_iter()
            .map(|r| r.unwrap_or(Err(CallError::Interrupted)))
            .collect()
    }
}
