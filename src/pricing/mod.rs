//! Pricing (spec section 3): per-tool prices, free tiers, spec declarations and exact quotes.

mod cmd;
mod file;
pub mod init;
mod quote;

pub use cmd::run;

pub use file::{
    PricingFile, Problem, RecordMode, ToolEntry, invalid_summary, suggest, tool_id_problem,
};
pub use quote::{MonthUsage, Quote, QuoteError, Usage, quote};

use serde::{Deserialize, Serialize};

use crate::money::Microcents;

/// How a tool is priced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, clap::ValueEnum)]
#[serde(rename_all = "snake_case")]
#[value(rename_all = "snake_case")]
pub enum PricingModel {
    /// A flat rate per call.
    PerCall,
    /// A rate per input and output token.
    PerToken,
    /// No charge.
    Free,
}

impl PricingModel {
    /// The spec spelling.
    pub fn as_str(self) -> &'static str {
        match self {
            PricingModel::PerCall => "per_call",
            PricingModel::PerToken => "per_token",
            PricingModel::Free => "free",
        }
    }

    /// Parse the spec spelling.
    pub fn parse(s: &str) -> Option<Self> {
        match s {
            "per_call" => Some(PricingModel::PerCall),
            "per_token" => Some(PricingModel::PerToken),
            "free" => Some(PricingModel::Free),
            _ => None,
        }
    }
}

/// A monthly free allowance, per agent.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct FreeTier {
    /// Successful calls per month that cost nothing.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub calls_per_month: Option<u64>,
    /// Tokens per month that are not billed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tokens_per_month: Option<u64>,
}

/// The price of one tool.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ToolPrice {
    /// Tool identifier (the MCP tool name).
    pub tool_id: String,
    /// Human-readable name.
    pub tool_name: Option<String>,
    /// The pricing model.
    pub model: PricingModel,
    /// Price per call (`per_call`).
    pub per_call: Microcents,
    /// Price per input token (`per_token`).
    pub per_input_token: Microcents,
    /// Price per output token (`per_token`).
    pub per_output_token: Microcents,
    /// Optional free tier.
    pub free_tier: Option<FreeTier>,
}

impl ToolPrice {
    /// A free tool.
    pub fn free(tool_id: &str) -> Self {
        ToolPrice {
            tool_id: tool_id.to_owned(),
            tool_name: None,
            model: PricingModel::Free,
            per_call: Microcents::ZERO,
            per_input_token: Microcents::ZERO,
            per_output_token: Microcents::ZERO,
            free_tier: None,
        }
    }

    /// The spec section 3 declaration of this tool.
    pub fn declaration(&self, provider_id: &str, currency: &str) -> PricingDeclaration {
        let (call, input, output) = match self.model {
            PricingModel::PerCall => (Some(self.per_call.0), None, None),
            PricingModel::PerToken => (
                None,
                Some(self.per_input_token.0),
                Some(self.per_output_token.0),
            ),
            PricingModel::Free => (None, None, None),
        };
        PricingDeclaration {
            tool_id: self.tool_id.clone(),
            tool_name: self
                .tool_name
                .clone()
                .unwrap_or_else(|| self.tool_id.clone()),
            provider_id: provider_id.to_owned(),
            pricing_model: self.model,
            price_per_call_microcents: call,
            price_per_input_token_microcents: input,
            price_per_output_token_microcents: output,
            free_tier: self.free_tier,
            currency: currency.to_owned(),
        }
    }
}

/// A spec section 3 pricing declaration.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PricingDeclaration {
    /// Tool identifier.
    pub tool_id: String,
    /// Human-readable tool name.
    pub tool_name: String,
    /// The provider.
    pub provider_id: String,
    /// The pricing model.
    pub pricing_model: PricingModel,
    /// Price per call.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub price_per_call_microcents: Option<u64>,
    /// Price per input token.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub price_per_input_token_microcents: Option<u64>,
    /// Price per output token.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub price_per_output_token_microcents: Option<u64>,
    /// Free tier.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub free_tier: Option<FreeTier>,
    /// ISO 4217 currency code.
    pub currency: String,
}
