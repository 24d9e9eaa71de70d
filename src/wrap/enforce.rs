//! The limits a call must pass before it is forwarded: the per-agent rate limit (a token
//! bucket per agent) and the monthly budget. Pure decisions: the caller brings the time and
//! the month's figures, and turns a refusal into the JSON-RPC answer.

use std::collections::HashMap;
use std::time::{Duration, Instant};

use super::RateLimit;
use crate::pricing::{MonthUsage, PricingModel, ToolPrice};

/// One token bucket per agent: `calls` tokens, refilled evenly over `period`, full at first.
#[derive(Default)]
pub struct RateBuckets {
    buckets: HashMap<String, Bucket>,
}

struct Bucket {
    tokens: f64,
    last: Instant,
}

impl RateBuckets {
    /// Take a token for a call of `agent` at `now`; when there is none, how long until
    /// there is one (at least a millisecond).
    pub fn take(&mut self, limit: RateLimit, agent: &str, now: Instant) -> Result<(), Duration> {
        let per_sec = f64::from(limit.calls) / limit.period.as_secs_f64();
        let cap = f64::from(limit.calls);
        // Looked up by `&str` first: the agent is copied only into a new bucket.
        if !self.buckets.contains_key(agent) {
            let full = Bucket {
                tokens: cap,
                last: now,
            };
            self.buckets.insert(agent.to_owned(), full);
        }
        let b = self.buckets.get_mut(agent).expect("inserted above");
        b.tokens = (b.tokens + now.duration_since(b.last).as_secs_f64() * per_sec).min(cap);
        b.last = now;
        if b.tokens >= 1.0 {
            b.tokens -= 1.0;
            return Ok(());
        }
        let wait = Duration::from_secs_f64((1.0 - b.tokens) / per_sec);
        Err(wait.max(Duration::from_millis(1)))
    }
}

/// What is known of an agent's month when one of its calls arrives (money in microcents).
#[derive(Debug, Clone, Copy, Default)]
pub struct BudgetState {
    /// The agent's monthly budget.
    pub budget: u64,
    /// What the agent's calls cost this month, from the log (all shims).
    pub spent: u64,
    /// The most this shim's calls of the agent still in flight (or being settled) can cost
    /// ([`in_flight_worst`] summed over their tools).
    pub reserved: u64,
    /// The agent's month of the called tool, from the log.
    pub month: MonthUsage,
    /// The agent's calls of the same tool in flight in this shim.
    pub in_flight_same_tool: u64,
}

/// The most that `n` calls of a tool in flight can still cost an agent whose month of it is
/// `month`: whichever of them end up inside the free tier, at most `n` minus the free calls
/// left are charged (a per-token call's cost is unknown until it is answered: 0 here).
pub fn in_flight_worst(price: &ToolPrice, n: u64, month: MonthUsage) -> u64 {
    if price.model != PricingModel::PerCall {
        return 0;
    }
    let free_left = price
        .free_tier
        .and_then(|t| t.calls_per_month)
        .map_or(0, |free| free.saturating_sub(month.calls));
    price.per_call.0.saturating_mul(n.saturating_sub(free_left))
}

/// What an answered call may still add to the spend until the ledger has its cost: its
/// price, for a per-call tool, whether or not it falls inside the free tier (when it
/// does, another call in flight is charged instead).
pub fn settling_worst(price: &ToolPrice) -> u64 {
    if price.model == PricingModel::PerCall {
        price.per_call.0
    } else {
        0
    }
}

/// The budget's verdict on one call.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BudgetVerdict {
    /// Forward it, reserving what it may cost until it is answered.
    Allow {
        /// The amount reserved (0 when the cost cannot be known before the answer).
        reserve: u64,
    },
    /// Refuse it.
    Refuse {
        /// What is left of the budget.
        remaining: u64,
        /// What the call would cost, when that is known before the answer.
        cost: Option<u64>,
    },
}

impl BudgetState {
    /// Whether a call priced by `price` fits: a call known to be free always does, one of
    /// known cost must fit in what is left, one of unknown cost (per token) needs
    /// something left.
    pub fn judge(&self, price: &ToolPrice) -> BudgetVerdict {
        let within_free_calls = price
            .free_tier
            .and_then(|t| t.calls_per_month)
            .is_some_and(|free| self.month.calls + self.in_flight_same_tool < free);
        let cost = match price.model {
            PricingModel::Free => Some(0),
            _ if within_free_calls => Some(0),
            PricingModel::PerCall => Some(price.per_call.0),
            PricingModel::PerToken => None,
        };
        let remaining = self
            .budget
            .saturating_sub(self.spent)
            .saturating_sub(self.reserved);
        let refuse = match cost {
            Some(0) => false,
            Some(c) => c > remaining,
            None => remaining == 0,
        };
        if refuse {
            BudgetVerdict::Refuse { remaining, cost }
        } else {
            BudgetVerdict::Allow {
                reserve: cost.unwrap_or(0),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::money::Microcents;
    use crate::pricing::FreeTier;

    #[test]
    fn in_flight_calls_cost_at_most_those_beyond_the_free_calls_left() {
        let mut price = per_call(10);
        assert_eq!(in_flight_worst(&price, 3, MonthUsage::default()), 30);
        price.free_tier = Some(FreeTier {
            calls_per_month: Some(2),
            tokens_per_month: None,
        });
        let used = |calls| MonthUsage { calls, tokens: 0 };
        assert_eq!(in_flight_worst(&price, 3, used(0)), 10);
        assert_eq!(in_flight_worst(&price, 1, used(0)), 0);
        assert_eq!(in_flight_worst(&price, 3, used(5)), 30);
        assert_eq!(settling_worst(&price), 10);
        assert_eq!(in_flight_worst(&ToolPrice::free("t"), 9, used(0)), 0);
    }

    fn limit(calls: u32, period: Duration) -> RateLimit {
        RateLimit { calls, period }
    }

    fn per_call(cents: u64) -> ToolPrice {
        ToolPrice {
            model: PricingModel::PerCall,
            per_call: Microcents(cents),
            ..ToolPrice::free("t")
        }
    }

    #[test]
    fn a_bucket_allows_its_calls_then_says_when_the_next_token_comes() {
        let limit = limit(2, Duration::from_secs(60));
        let mut b = RateBuckets::default();
        let t0 = Instant::now();
        assert_eq!(b.take(limit, "a", t0), Ok(()));
        assert_eq!(b.take(limit, "a", t0), Ok(()));
        assert_eq!(b.take(limit, "a", t0), Err(Duration::from_secs(30)));
        // Agents have buckets of their own.
        assert_eq!(b.take(limit, "b", t0), Ok(()));
        // Half a period later one token is back, and only one.
        let t1 = t0 + Duration::from_secs(30);
        assert_eq!(b.take(limit, "a", t1), Ok(()));
        assert!(b.take(limit, "a", t1).is_err());
        // The bucket never holds more than `calls`.
        let t2 = t1 + Duration::from_secs(3600);
        assert_eq!(b.take(limit, "a", t2), Ok(()));
        assert_eq!(b.take(limit, "a", t2), Ok(()));
        assert!(b.take(limit, "a", t2).is_err());
    }

    #[test]
    fn the_wait_is_at_least_a_millisecond() {
        let limit = limit(1000, Duration::from_millis(1));
        let mut b = RateBuckets::default();
        let t0 = Instant::now();
        for _ in 0..1000 {
            b.take(limit, "a", t0).unwrap();
        }
        assert_eq!(b.take(limit, "a", t0), Err(Duration::from_millis(1)));
    }

    #[test]
    fn known_costs_must_fit_what_is_left() {
        let st = BudgetState {
            budget: 100,
            spent: 60,
            reserved: 30,
            ..BudgetState::default()
        };
        assert_eq!(
            st.judge(&per_call(10)),
            BudgetVerdict::Allow { reserve: 10 }
        );
        assert_eq!(
            st.judge(&per_call(11)),
            BudgetVerdict::Refuse {
                remaining: 10,
                cost: Some(11)
            }
        );
        assert_eq!(
            st.judge(&ToolPrice::free("t")),
            BudgetVerdict::Allow { reserve: 0 }
        );
        // Overspent (other shims charged meanwhile): nothing is left, nothing underflows.
        let over = BudgetState { spent: 500, ..st };
        assert_eq!(
            over.judge(&per_call(1)),
            BudgetVerdict::Refuse {
                remaining: 0,
                cost: Some(1)
            }
        );
    }

    #[test]
    fn free_tier_calls_pass_counting_those_in_flight() {
        let mut price = per_call(50);
        price.free_tier = Some(FreeTier {
            calls_per_month: Some(3),
            tokens_per_month: None,
        });
        let st = BudgetState {
            budget: 10,
            month: MonthUsage {
                calls: 2,
                tokens: 0,
            },
            ..BudgetState::default()
        };
        assert_eq!(st.judge(&price), BudgetVerdict::Allow { reserve: 0 });
        let busy = BudgetState {
            in_flight_same_tool: 1,
            ..st
        };
        assert_eq!(
            busy.judge(&price),
            BudgetVerdict::Refuse {
                remaining: 10,
                cost: Some(50)
            }
        );
    }

    #[test]
    fn per_token_calls_need_something_left() {
        let price = ToolPrice {
            model: PricingModel::PerToken,
            per_input_token: Microcents(1),
            ..ToolPrice::free("t")
        };
        let st = BudgetState {
            budget: 10,
            spent: 9,
            ..BudgetState::default()
        };
        assert_eq!(st.judge(&price), BudgetVerdict::Allow { reserve: 0 });
        let spent = BudgetState { spent: 10, ..st };
        assert_eq!(
            spent.judge(&price),
            BudgetVerdict::Refuse {
                remaining: 0,
                cost: None
            }
        );
    }
}
