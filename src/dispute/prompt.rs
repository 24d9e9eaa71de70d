//! Asking for missing dispute values: a small trait, dialoguer behind it on a terminal,
//! and a scripted fake for tests. The filing logic only sees the trait.

use std::collections::VecDeque;

use anyhow::{Result, bail};

/// The questions `dispute file` may ask.
pub trait Prompter {
    /// Pick one of `items`; returns its index.
    fn select(&mut self, prompt: &str, items: &[&str], default: usize) -> Result<usize>;
    /// Type a line of text (`allow_empty`: an empty answer is accepted).
    fn input(&mut self, prompt: &str, allow_empty: bool) -> Result<String>;
    /// Yes or no.
    fn confirm(&mut self, prompt: &str, default: bool) -> Result<bool>;
}

/// Prompts on the terminal (stderr) with dialoguer.
pub struct TerminalPrompter;

impl Prompter for TerminalPrompter {
    fn select(&mut self, prompt: &str, items: &[&str], default: usize) -> Result<usize> {
        Ok(dialoguer::Select::new()
            .with_prompt(prompt)
            .items(items)
            .default(default)
            .interact_on(&dialoguer::console::Term::stderr())?)
    }

    fn input(&mut self, prompt: &str, allow_empty: bool) -> Result<String> {
        Ok(dialoguer::Input::<String>::new()
            .with_prompt(prompt)
            .allow_empty(allow_empty)
            .interact_text_on(&dialoguer::console::Term::stderr())?)
    }

    fn confirm(&mut self, prompt: &str, default: bool) -> Result<bool> {
        Ok(dialoguer::Confirm::new()
            .with_prompt(prompt)
            .default(default)
            .interact_on(&dialoguer::console::Term::stderr())?)
    }
}

/// One scripted answer.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Answer {
    /// For `select`: the index.
    Select(usize),
    /// For `input`.
    Text(String),
    /// For `confirm`.
    Confirm(bool),
}

/// A prompter that replays answers and records the questions (for tests).
#[derive(Debug, Default)]
pub struct ScriptedPrompter {
    /// Answers still to give, in order.
    pub answers: VecDeque<Answer>,
    /// The prompts asked so far.
    pub asked: Vec<String>,
}

impl ScriptedPrompter {
    /// A prompter giving these answers.
    pub fn new(answers: impl IntoIterator<Item = Answer>) -> Self {
        ScriptedPrompter {
            answers: answers.into_iter().collect(),
            asked: Vec::new(),
        }
    }

    fn next(&mut self, prompt: &str) -> Result<Answer> {
        self.asked.push(prompt.to_owned());
        match self.answers.pop_front() {
            Some(a) => Ok(a),
            None => bail!("unexpected prompt: {prompt}"),
        }
    }
}

impl Prompter for ScriptedPrompter {
    fn select(&mut self, prompt: &str, items: &[&str], _default: usize) -> Result<usize> {
        match self.next(prompt)? {
            Answer::Select(i) if i < items.len() => Ok(i),
            other => bail!("scripted answer {other:?} does not fit select '{prompt}'"),
        }
    }

    fn input(&mut self, prompt: &str, allow_empty: bool) -> Result<String> {
        match self.next(prompt)? {
            Answer::Text(t) if allow_empty || !t.is_empty() => Ok(t),
            other => bail!("scripted answer {other:?} does not fit input '{prompt}'"),
        }
    }

    fn confirm(&mut self, prompt: &str, _default: bool) -> Result<bool> {
        match self.next(prompt)? {
            Answer::Confirm(b) => Ok(b),
            other => bail!("scripted answer {other:?} does not fit confirm '{prompt}'"),
        }
    }
}
