//! Pagination, as paws.common's `paginate()` does it, with every page fetched
//! here rather than one R round trip per page.
//!
//! Each answer's output token becomes the next request's input token until
//! the service sends none (or, with `stop_on_same_token`, sends the same one
//! again), or until `max_items` results have arrived; pages are whole answers.
//! Like a batch (`batch.rs`), R drives the loop with short polls, so it can
//! draw progress and an interrupt drops the request in flight.

use std::sync::Arc;
use std::time::Duration;


use crate::batch::Job;
use crate::client::{self, AnyClient, InterruptCheck, Interrupted};
use crate::errors::CallError;
use crate::input::InputError;
use crate::operations::{BoxFuture, Operation, Paginator, PreparedCall};
use crate::value::{List, Name, Value};

pub struct Pager {
    runtime: Arc<tokio::runtime::Runtime>,
    client: AnyClient,
    target: String,
    op: &'static dyn Operation,
    paginator: Paginator,
    /// The next request's arguments: always a named list.
    args: Value,
    max_items: Option<usize>,
    stop_on_same_token: bool,
    pages: Vec<Value>,
    items: usize,
    /// The first request, checked when the pagination was made.
    first: Option<PreparedCall>,
    in_flight: Option<BoxFuture<Result<Value, CallError>>>,
    outcome: Option<Result<(), CallError>>,
}

impl Pager {
    /// Checks the arguments of the first request; nothing is sent yet.
    pub fn new(
        op: &'static dyn Operation,
        client: AnyClient,
        target: String,
        args: Value,
        max_items: Option<usize>,
        stop_on_same_token: bool,
    ) -> Result<Pager, CallError> {
        let paginator = *op
            .paginator()
            .ok_or_else(|| CallError::request(format!("`{}` cannot be paginated", op.name())))?;
        let args = match args {
            Value::List(list) => list,
            Value::Null => List::default(),
            other => {
                let problem = format!("expected a named list of arguments, got {}", other.describe_type());
                return Err(InputError { path: String::new(), problem }.into());
            }
        };
        let args = Value::List(args);
        // The first request is checked now, so a bad argument fails at once.
        let first = op.prepare(&args)?;
        Ok(Pager {
            runtime: client::runtime(),
            client,
            target,
            op,
            paginator,
            args,
            max_items,
            stop_on_same_token,
            pages: Vec::new(),
            items: 0,
            first: Some(first),
            in_flight: None,
            outcome: None,
        })
    }

    fn send_next(&mut self) -> Result<BoxFuture<Result<Value, CallError>>, CallError> {
        let prepared = match self.first.take() {
            Some(first) => first,
            None => self.op.prepare(&self.args)?,
        };
        Ok(prepared(self.client.clone(), self.target.clone()))
    }

    /// Takes in one answer: keeps it, counts its results, and moves the
    /// input token on, or ends the pagination.
    fn take_page(&mut self, page: Value) {
        self.items += member(&page, self.paginator.result_key).map_or(0, Value::len);
        let next = token(&page, self.paginator.output_token).map(str::to_string);
        let repeated = self.stop_on_same_token
            && next.is_some()
            && next.as_deref() == token(&self.args, self.paginator.input_token);
        self.pages.push(page);
        let full = self.max_items.is_some_and(|max| self.items >= max);
        match (next, &mut self.args) {
            (Some(next), Value::List(args)) if !full && !repeated => {
                set_member(args, self.paginator.input_token, Value::string(next))
            }
            _ => self.outcome = Some(Ok(())),
        }
    }
}

/// Member `name` of a named list (an answer, or arguments).
fn member<'v>(value: &'v Value, name: &str) -> Option<&'v Value> {
    match value {
        Value::List(list) => list.get(name),
        _ => None,
    }
}

/// A pagination token: member `name` when it is a single string.
fn token<'v>(value: &'v Value, name: &str) -> Option<&'v str> {
    match member(value, name) {
        Some(Value::Character(v)) if v.len() == 1 => v[0].as_deref(),
        _ => None,
    }
}

fn set_member(list: &mut List, name: &str, value: Value) {
    let names = list.names.get_or_insert_with(|| vec![Name::default(); list.values.len()]);
    match names.iter().position(|n| n == name) {
        Some(i) => list.values[i] = value,
        None => {
            names.push(Name::Owned(name.to_string()));
            list.values.push(value);
        }
    }
}

impl Job for Pager {
    fn poll(&mut self, budget: Duration, interrupted: InterruptCheck) -> Result<usize, Interrupted> {
        let runtime = self.runtime.clone();
        client::block_on_with(
            &runtime,
            async {
                let deadline = tokio::time::sleep(budget);
                tokio::pin!(deadline);
                while self.outcome.is_none() {
                    let mut pending = match self.in_flight.take() {
                        Some(pending) => pending,
                        None => match self.send_next() {
                            Ok(pending) => pending,
                            Err(e) => {
                                self.outcome = Some(Err(e));
                                break;
                            }
                        },
                    };
                    tokio::select! {
                        answer = &mut pending => match answer {
                            Ok(page) => self.take_page(page),
                            Err(e) => self.outcome = Some(Err(e)),
                        },
                        _ = &mut deadline => {
                            self.in_flight = Some(pending);
                            break;
                        }
                    }
                }
            },
            interrupted,
        )?;
        Ok(self.pages.len())
    }

    fn is_done(&self) -> bool {
        self.outcome.is_some()
    }

    fn cancel(&mut self) {
        self.in_flight = None;
        self.outcome.get_or_insert(Err(CallError::Interrupted));
    }

    fn into_results(self: Box<Self>) -> Vec<Result<Value, CallError>> {
        match self.outcome {
            Some(Ok(())) => vec![Ok(Value::List(List::unnamed(self.pages)))],
            Some(Err(e)) => vec![Err(e)],
            None => vec![Err(CallError::Interrupted)],
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn members_are_replaced_or_added() {
        let mut args = List::named(vec![("UserPoolId", Value::string("p"))]);
        set_member(&mut args, "PaginationToken", Value::string("t1"));
        set_member(&mut args, "PaginationToken", Value::string("t2"));
        assert_eq!(args.get("PaginationToken"), Some(&Value::string("t2")));
        assert_eq!(args.len(), 2);
    }
}
