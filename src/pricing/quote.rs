//! Exact cost of one call under a tool's price and the agent's month so far.

use serde::Serialize;

use super::{PricingModel, ToolPrice};
use crate::money::Microcents;

/// Tokens of one call.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct Usage {
    /// Input tokens.
    pub input_tokens: u64,
    /// Output tokens.
    pub output_tokens: u64,
}

/// What the agent already used of this tool this UTC month (successful calls only).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize)]
pub struct MonthUsage {
    /// Successful calls so far.
    pub calls: u64,
    /// Tokens of successful calls so far.
    pub tokens: u64,
}

/// The cost of one successful call, with how the free tier applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
pub struct Quote {
    /// What the call costs.
    pub cost: Microcents,
    /// The call fell within the free calls of the month.
    pub free_call: bool,
    /// Tokens of this call covered by the monthly free tokens.
    pub free_tokens: u64,
    /// Input tokens billed.
    pub billed_input_tokens: u64,
    /// Output tokens billed.
    pub billed_output_tokens: u64,
}

impl Quote {
    /// Whether the free tier changed the price of this call.
    pub fn free_tier_applied(&self) -> bool {
        self.free_call || self.free_tokens > 0
    }
}

/// The cost does not fit in 64 bits.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("the cost of this call overflows 64-bit microcents; check the token counts and prices")]
pub struct QuoteError;

/// Price one successful call. Free calls are counted first (the first
/// `calls_per_month` successful calls cost nothing); otherwise the remaining
/// free tokens cover input tokens first, then output tokens.
pub fn quote(price: &ToolPrice, usage: Usage, month: MonthUsage) -> Result<Quote, QuoteError> {
    let tier = price.free_tier.unwrap_or_default();
    let zero = Quote {
        cost: Microcents::ZERO,
        free_call: false,
        free_tokens: 0,
        billed_input_tokens: 0,
        billed_output_tokens: 0,
    };
    if price.model == PricingModel::Free {
        return Ok(zero);
    }
    if tier.calls_per_month.is_some_and(|free| month.calls < free) {
        return Ok(Quote {
            free_call: true,
            ..zero
        });
    }
    match price.model {
        PricingModel::Free => Ok(zero),
        PricingModel::PerCall => Ok(Quote {
            cost: price.per_call,
            ..zero
        }),
        PricingModel::PerToken => {
            let mut free_left = tier
                .tokens_per_month
                .map_or(0, |t| t.saturating_sub(month.tokens));
            let free_in = usage.input_tokens.min(free_left);
            free_left -= free_in;
            let free_out = usage.output_tokens.min(free_left);
            let billed_in = usage.input_tokens - free_in;
            let billed_out = usage.output_tokens - free_out;
            let cost = price
                .per_input_token
                .checked_mul(billed_in)
                .and_then(|a| {
                    price
                        .per_output_token
                        .checked_mul(billed_out)
                        .and_then(|b| a.checked_add(b))
                })
                .ok_or(QuoteError)?;
            Ok(Quote {
                cost,
                free_call: false,
                free_tokens: free_in + free_out,
                billed_input_tokens: billed_in,
                billed_output_tokens: billed_out,
            })
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::FreeTier;
    use super::*;

    fn per_call(price: u64, tier: Option<FreeTier>) -> ToolPrice {
        ToolPrice {
            model: PricingModel::PerCall,
            per_call: Microcents(price),
            free_tier: tier,
            ..ToolPrice::free("t")
        }
    }

    fn per_token(pin: u64, pout: u64, tier: Option<FreeTier>) -> ToolPrice {
        ToolPrice {
            model: PricingModel::PerToken,
            per_input_token: Microcents(pin),
            per_output_token: Microcents(pout),
            free_tier: tier,
            ..ToolPrice::free("t")
        }
    }

    fn usage(i: u64, o: u64) -> Usage {
        Usage {
            input_tokens: i,
            output_tokens: o,
        }
    }

    fn month(calls: u64, tokens: u64) -> MonthUsage {
        MonthUsage { calls, tokens }
    }

    #[test]
    fn free_model_costs_nothing() {
        let q = quote(&ToolPrice::free("t"), usage(10, 10), month(0, 0)).unwrap();
        assert_eq!(q.cost, Microcents(0));
        assert!(!q.free_tier_applied());
    }

    #[test]
    fn per_call_with_and_without_tier() {
        let p = per_call(50_000, None);
        assert_eq!(
            quote(&p, usage(0, 0), month(1000, 0)).unwrap().cost,
            Microcents(50_000)
        );
        let tier = Some(FreeTier {
            calls_per_month: Some(100),
            tokens_per_month: None,
        });
        let p = per_call(50_000, tier);
        let q = quote(&p, usage(0, 0), month(99, 0)).unwrap();
        assert_eq!((q.cost, q.free_call), (Microcents(0), true));
        let q = quote(&p, usage(0, 0), month(100, 0)).unwrap();
        assert_eq!((q.cost, q.free_call), (Microcents(50_000), false));
    }

    #[test]
    fn per_token_with_and_without_tier() {
        let p = per_token(10, 30, None);
        let q = quote(&p, usage(150, 420), month(0, 0)).unwrap();
        assert_eq!(q.cost, Microcents(150 * 10 + 420 * 30));
        let tier = Some(FreeTier {
            calls_per_month: None,
            tokens_per_month: Some(10_000),
        });
        let p = per_token(10, 30, tier);
        // 9,900 tokens used: 100 free left, all from input.
        let q = quote(&p, usage(150, 420), month(5, 9_900)).unwrap();
        assert_eq!(q.free_tokens, 100);
        assert_eq!(q.cost, Microcents(50 * 10 + 420 * 30));
        // 9,500 used: 500 free, 150 input + 350 output.
        let q = quote(&p, usage(150, 420), month(5, 9_500)).unwrap();
        assert_eq!(q.cost, Microcents(70 * 30));
        // Tier exhausted.
        let q = quote(&p, usage(150, 420), month(5, 20_000)).unwrap();
        assert_eq!(q.cost, Microcents(150 * 10 + 420 * 30));
        assert!(!q.free_tier_applied());
    }

    #[test]
    fn free_calls_also_cover_token_priced_tools() {
        let tier = Some(FreeTier {
            calls_per_month: Some(3),
            tokens_per_month: Some(10),
        });
        let q = quote(&per_token(10, 30, tier), usage(1000, 1000), month(2, 5000)).unwrap();
        assert_eq!((q.cost, q.free_call), (Microcents(0), true));
    }

    #[test]
    fn overflow_is_an_error() {
        let p = per_token(u64::MAX, 1, None);
        assert_eq!(quote(&p, usage(2, 0), month(0, 0)), Err(QuoteError));
    }
}
