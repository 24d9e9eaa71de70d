
use builtin;
use str;

set edit:completion:arg-completer[mcpbill] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'mcpbill'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'mcpbill'= {
            cand --color 'When to use colour: auto honours NO_COLOR and only colours terminals'
            cand --json 'Print machine-readable JSON on stdout (no tables, colour or prompts)'
            cand -q 'Print only errors on stderr'
            cand --quiet 'Print only errors on stderr'
            cand -v 'Print more detail on stderr'
            cand --verbose 'Print more detail on stderr'
            cand --no-input 'Never prompt; a missing value is an error naming its flag'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand keygen 'Generate a random HMAC secret and write it to a new file (mode 0600)'
            cand completions 'Print a shell completion script'
            cand trust 'Score providers (0-100) from event logs, disputes and verification records'
            cand dispute 'File, list, show and resolve disputes over receipts'
            cand report 'Usage analytics per tool, agent, provider, session or day (table, JSON, CSV, HTML)'
            cand feedback 'Record that a call''s result was discarded (or kept); never changes charges'
            cand export 'Export meter events for OpenMeter, Stripe or as CSV, keyed by event id'
            cand pricing 'Declare tool prices in a TOML file: init, validate, show, quote'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mcpbill;keygen'= {
            cand -o 'Where to write the secret (64 hex characters and a newline, mode 0600)'
            cand --out 'Where to write the secret (64 hex characters and a newline, mode 0600)'
            cand --color 'When to use colour: auto honours NO_COLOR and only colours terminals'
            cand --force 'Overwrite the file if it exists'
            cand --json 'Print machine-readable JSON on stdout (no tables, colour or prompts)'
            cand -q 'Print only errors on stderr'
            cand --quiet 'Print only errors on stderr'
            cand -v 'Print more detail on stderr'
            cand --verbose 'Print more detail on stderr'
            cand --no-input 'Never prompt; a missing value is an error naming its flag'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpbill;completions'= {
            cand --color 'When to use colour: auto honours NO_COLOR and only colours terminals'
            cand --json 'Print machine-readable JSON on stdout (no tables, colour or prompts)'
            cand -q 'Print only errors on stderr'
            cand --quiet 'Print only errors on stderr'
            cand -v 'Print more detail on stderr'
            cand --verbose 'Print more detail on stderr'
            cand --no-input 'Never prompt; a missing value is an error naming its flag'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpbill;trust'= {
            cand --log-dir 'Log directory (default: MCPBILL_LOG_DIR, else the platform data directory); also where disputes.jsonl is read'
            cand --disputes 'Disputes log (default: disputes.jsonl in the log directory, if it exists)'
            cand --verifications 'Verification records (JSON Lines written by verify-* --record); repeatable'
            cand --pricing 'Pricing files giving providers'' categories (for relative latency); repeatable'
            cand --as-of 'End of the window: an RFC 3339 time or a date (its end, UTC). Default: now'
            cand --window 'Length of the window before --as-of'
            cand --provider 'Only show these providers (repeatable)'
            cand --category 'Only show providers in this category'
            cand --min-calls 'Fewer calls than this in the window is insufficient data'
            cand --min-score 'Exit 1 if any shown provider scores below N (for CI)'
            cand --color 'When to use colour: auto honours NO_COLOR and only colours terminals'
            cand --json 'Print machine-readable JSON on stdout (no tables, colour or prompts)'
            cand -q 'Print only errors on stderr'
            cand --quiet 'Print only errors on stderr'
            cand -v 'Print more detail on stderr'
            cand --verbose 'Print more detail on stderr'
            cand --no-input 'Never prompt; a missing value is an error naming its flag'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpbill;dispute'= {
            cand --color 'When to use colour: auto honours NO_COLOR and only colours terminals'
            cand --json 'Print machine-readable JSON on stdout (no tables, colour or prompts)'
            cand -q 'Print only errors on stderr'
            cand --quiet 'Print only errors on stderr'
            cand -v 'Print more detail on stderr'
            cand --verbose 'Print more detail on stderr'
            cand --no-input 'Never prompt; a missing value is an error naming its flag'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand file 'Contest the charge of a receipt; evidence is collected automatically'
            cand list 'List disputes (current status) with filters'
            cand show 'Show one dispute, its evidence and its history'
            cand update 'Move a dispute along filed -> under_review -> resolved_refund|resolved_denied|resolved_credit'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mcpbill;dispute;file'= {
            cand --receipt 'The receipt JSON file (''-'' for stdin)'
            cand --receipt-id 'A receipt id to look up in the log directory''s receipts-*.jsonl'
            cand --reason 'Why the charge is contested'
            cand --description 'What went wrong (required for --reason other)'
            cand --filed-by 'Who files (default: the receipt''s agent, or its provider with --filed-by-type provider)'
            cand --filed-by-type 'Whether the filer is the agent or the provider'
            cand --key-file 'File holding the HMAC secret, to record the receipt''s signature verdict'
            cand --pricing 'Pricing files; the one for the receipt''s provider gives the expected cost (repeatable)'
            cand --log-dir 'Log directory holding disputes.jsonl, events and receipts (default: MCPBILL_LOG_DIR, else the platform data directory)'
            cand --color 'When to use colour: auto honours NO_COLOR and only colours terminals'
            cand --json 'Print machine-readable JSON on stdout (no tables, colour or prompts)'
            cand -q 'Print only errors on stderr'
            cand --quiet 'Print only errors on stderr'
            cand -v 'Print more detail on stderr'
            cand --verbose 'Print more detail on stderr'
            cand --no-input 'Never prompt; a missing value is an error naming its flag'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpbill;dispute;list'= {
            cand --status 'Only disputes with this current status'
            cand --provider 'Only disputes against this provider'
            cand --agent 'Only disputes on this agent''s receipts'
            cand --reason 'Only disputes with this reason'
            cand --log-dir 'Log directory holding disputes.jsonl, events and receipts (default: MCPBILL_LOG_DIR, else the platform data directory)'
            cand --color 'When to use colour: auto honours NO_COLOR and only colours terminals'
            cand --json 'Print machine-readable JSON on stdout (no tables, colour or prompts)'
            cand -q 'Print only errors on stderr'
            cand --quiet 'Print only errors on stderr'
            cand -v 'Print more detail on stderr'
            cand --verbose 'Print more detail on stderr'
            cand --no-input 'Never prompt; a missing value is an error naming its flag'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpbill;dispute;show'= {
            cand --log-dir 'Log directory holding disputes.jsonl, events and receipts (default: MCPBILL_LOG_DIR, else the platform data directory)'
            cand --color 'When to use colour: auto honours NO_COLOR and only colours terminals'
            cand --json 'Print machine-readable JSON on stdout (no tables, colour or prompts)'
            cand -q 'Print only errors on stderr'
            cand --quiet 'Print only errors on stderr'
            cand -v 'Print more detail on stderr'
            cand --verbose 'Print more detail on stderr'
            cand --no-input 'Never prompt; a missing value is an error naming its flag'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpbill;dispute;update'= {
            cand --status 'The new status'
            cand --note 'Why (kept in the history)'
            cand --credit 'Credit granted, with --status resolved_credit (''$0.02'', ''0.02'' or ''20000microcents'')'
            cand --log-dir 'Log directory holding disputes.jsonl, events and receipts (default: MCPBILL_LOG_DIR, else the platform data directory)'
            cand --color 'When to use colour: auto honours NO_COLOR and only colours terminals'
            cand --json 'Print machine-readable JSON on stdout (no tables, colour or prompts)'
            cand -q 'Print only errors on stderr'
            cand --quiet 'Print only errors on stderr'
            cand -v 'Print more detail on stderr'
            cand --verbose 'Print more detail on stderr'
            cand --no-input 'Never prompt; a missing value is an error naming its flag'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpbill;dispute;help'= {
            cand file 'Contest the charge of a receipt; evidence is collected automatically'
            cand list 'List disputes (current status) with filters'
            cand show 'Show one dispute, its evidence and its history'
            cand update 'Move a dispute along filed -> under_review -> resolved_refund|resolved_denied|resolved_credit'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mcpbill;dispute;help;file'= {
        }
        &'mcpbill;dispute;help;list'= {
        }
        &'mcpbill;dispute;help;show'= {
        }
        &'mcpbill;dispute;help;update'= {
        }
        &'mcpbill;dispute;help;help'= {
        }
        &'mcpbill;report'= {
            cand --by 'What to group by'
            cand --since 'Only events at or after this time (RFC 3339, or a date: its start, UTC)'
            cand --until 'Only events before this time (RFC 3339, or a date: the whole day is included)'
            cand --month 'Only events in this UTC month (YYYY-MM); combines with --since/--until'
            cand --log-dir 'Log directory (default: MCPBILL_LOG_DIR, else the platform data directory); also where feedback.jsonl is read'
            cand --feedback 'Feedback log (default: feedback.jsonl in the log directory, if it exists)'
            cand --budget 'Budget per agent for the period (''$50'', ''50'' or microcents), to show budget use with --by agent'
            cand --html 'Write one self-contained HTML page (inline SVG charts) to FILE'
            cand --color 'When to use colour: auto honours NO_COLOR and only colours terminals'
            cand --csv 'Print CSV (a header, then one row per group) instead of a table'
            cand --json 'Print machine-readable JSON on stdout (no tables, colour or prompts)'
            cand -q 'Print only errors on stderr'
            cand --quiet 'Print only errors on stderr'
            cand -v 'Print more detail on stderr'
            cand --verbose 'Print more detail on stderr'
            cand --no-input 'Never prompt; a missing value is an error naming its flag'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpbill;feedback'= {
            cand --agent-id 'Who gives the feedback (default: the agent of the call, when found in the log)'
            cand --log-dir 'Log directory (default: MCPBILL_LOG_DIR, else the platform data directory)'
            cand --color 'When to use colour: auto honours NO_COLOR and only colours terminals'
            cand --discarded 'The agent or user discarded the call''s result'
            cand --kept 'The result was used (records the opposite of --discarded)'
            cand --json 'Print machine-readable JSON on stdout (no tables, colour or prompts)'
            cand -q 'Print only errors on stderr'
            cand --quiet 'Print only errors on stderr'
            cand -v 'Print more detail on stderr'
            cand --verbose 'Print more detail on stderr'
            cand --no-input 'Never prompt; a missing value is an error naming its flag'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpbill;export'= {
            cand --format 'Output format'
            cand --since 'Only events at or after this time (RFC 3339, or a date: its start, UTC)'
            cand --until 'Only events before this time (RFC 3339, or a date: the whole day is included)'
            cand --month 'Only events in this UTC month (YYYY-MM); combines with --since/--until'
            cand --log-dir 'Log directory (default: MCPBILL_LOG_DIR, else the platform data directory)'
            cand --out 'Write to FILE instead of stdout'
            cand --source 'CloudEvents ''source'' (openmeter)'
            cand --event-type 'CloudEvents ''type'' (openmeter)'
            cand --event-name 'Stripe meter event name (stripe)'
            cand --stripe-value 'What the Stripe meter counts: the cost in microcents or one per call (stripe)'
            cand --customer-map 'JSON object mapping agent ids to Stripe customer ids (stripe; unmapped agents keep their id)'
            cand --color 'When to use colour: auto honours NO_COLOR and only colours terminals'
            cand --json 'Print machine-readable JSON on stdout (no tables, colour or prompts)'
            cand -q 'Print only errors on stderr'
            cand --quiet 'Print only errors on stderr'
            cand -v 'Print more detail on stderr'
            cand --verbose 'Print more detail on stderr'
            cand --no-input 'Never prompt; a missing value is an error naming its flag'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpbill;pricing'= {
            cand --color 'When to use colour: auto honours NO_COLOR and only colours terminals'
            cand --json 'Print machine-readable JSON on stdout (no tables, colour or prompts)'
            cand -q 'Print only errors on stderr'
            cand --quiet 'Print only errors on stderr'
            cand -v 'Print more detail on stderr'
            cand --verbose 'Print more detail on stderr'
            cand --no-input 'Never prompt; a missing value is an error naming its flag'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand init 'Write a commented pricing file (a wizard on a terminal, flags otherwise)'
            cand validate 'Check a pricing file and report every problem with its line and column'
            cand show 'Show a pricing file as a table, or as spec section 3 declarations with --json'
            cand quote 'Compute the exact cost of one call'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mcpbill;pricing;init'= {
            cand --provider-id 'The provider id (also the provider_id of every receipt)'
            cand --currency 'ISO 4217 currency code'
            cand --category 'Provider category (used to compare latency in trust scores)'
            cand --tool 'The tool id to declare (the MCP tool name)'
            cand --model 'Pricing model of the tool'
            cand --price 'Price per call (''$0.05'', ''0.05'' or ''50000microcents''), for per_call'
            cand --input-token-price 'Price per input token, for per_token'
            cand --output-token-price 'Price per output token, for per_token'
            cand --free-calls 'Free calls per agent per month'
            cand --free-tokens 'Free tokens per agent per month (per_token only)'
            cand --record-params 'How much of the tool''s arguments the wrap shim records'
            cand --record-results 'How much of the tool''s results the wrap shim records'
            cand --color 'When to use colour: auto honours NO_COLOR and only colours terminals'
            cand --force 'Overwrite the file if it exists'
            cand --json 'Print machine-readable JSON on stdout (no tables, colour or prompts)'
            cand -q 'Print only errors on stderr'
            cand --quiet 'Print only errors on stderr'
            cand -v 'Print more detail on stderr'
            cand --verbose 'Print more detail on stderr'
            cand --no-input 'Never prompt; a missing value is an error naming its flag'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpbill;pricing;validate'= {
            cand --color 'When to use colour: auto honours NO_COLOR and only colours terminals'
            cand --json 'Print machine-readable JSON on stdout (no tables, colour or prompts)'
            cand -q 'Print only errors on stderr'
            cand --quiet 'Print only errors on stderr'
            cand -v 'Print more detail on stderr'
            cand --verbose 'Print more detail on stderr'
            cand --no-input 'Never prompt; a missing value is an error naming its flag'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpbill;pricing;show'= {
            cand --color 'When to use colour: auto honours NO_COLOR and only colours terminals'
            cand --json 'Print machine-readable JSON on stdout (no tables, colour or prompts)'
            cand -q 'Print only errors on stderr'
            cand --quiet 'Print only errors on stderr'
            cand -v 'Print more detail on stderr'
            cand --verbose 'Print more detail on stderr'
            cand --no-input 'Never prompt; a missing value is an error naming its flag'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpbill;pricing;quote'= {
            cand --tool 'The tool to quote'
            cand --input-tokens 'Input tokens of the call'
            cand --output-tokens 'Output tokens of the call'
            cand --calls-this-month 'Successful calls the agent already made this month (for the free tier)'
            cand --tokens-this-month 'Tokens the agent already used this month (for the free tier)'
            cand --color 'When to use colour: auto honours NO_COLOR and only colours terminals'
            cand --json 'Print machine-readable JSON on stdout (no tables, colour or prompts)'
            cand -q 'Print only errors on stderr'
            cand --quiet 'Print only errors on stderr'
            cand -v 'Print more detail on stderr'
            cand --verbose 'Print more detail on stderr'
            cand --no-input 'Never prompt; a missing value is an error naming its flag'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpbill;pricing;help'= {
            cand init 'Write a commented pricing file (a wizard on a terminal, flags otherwise)'
            cand validate 'Check a pricing file and report every problem with its line and column'
            cand show 'Show a pricing file as a table, or as spec section 3 declarations with --json'
            cand quote 'Compute the exact cost of one call'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mcpbill;pricing;help;init'= {
        }
        &'mcpbill;pricing;help;validate'= {
        }
        &'mcpbill;pricing;help;show'= {
        }
        &'mcpbill;pricing;help;quote'= {
        }
        &'mcpbill;pricing;help;help'= {
        }
        &'mcpbill;help'= {
            cand keygen 'Generate a random HMAC secret and write it to a new file (mode 0600)'
            cand completions 'Print a shell completion script'
            cand trust 'Score providers (0-100) from event logs, disputes and verification records'
            cand dispute 'File, list, show and resolve disputes over receipts'
            cand report 'Usage analytics per tool, agent, provider, session or day (table, JSON, CSV, HTML)'
            cand feedback 'Record that a call''s result was discarded (or kept); never changes charges'
            cand export 'Export meter events for OpenMeter, Stripe or as CSV, keyed by event id'
            cand pricing 'Declare tool prices in a TOML file: init, validate, show, quote'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mcpbill;help;keygen'= {
        }
        &'mcpbill;help;completions'= {
        }
        &'mcpbill;help;trust'= {
        }
        &'mcpbill;help;dispute'= {
            cand file 'Contest the charge of a receipt; evidence is collected automatically'
            cand list 'List disputes (current status) with filters'
            cand show 'Show one dispute, its evidence and its history'
            cand update 'Move a dispute along filed -> under_review -> resolved_refund|resolved_denied|resolved_credit'
        }
        &'mcpbill;help;dispute;file'= {
        }
        &'mcpbill;help;dispute;list'= {
        }
        &'mcpbill;help;dispute;show'= {
        }
        &'mcpbill;help;dispute;update'= {
        }
        &'mcpbill;help;report'= {
        }
        &'mcpbill;help;feedback'= {
        }
        &'mcpbill;help;export'= {
        }
        &'mcpbill;help;pricing'= {
            cand init 'Write a commented pricing file (a wizard on a terminal, flags otherwise)'
            cand validate 'Check a pricing file and report every problem with its line and column'
            cand show 'Show a pricing file as a table, or as spec section 3 declarations with --json'
            cand quote 'Compute the exact cost of one call'
        }
        &'mcpbill;help;pricing;init'= {
        }
        &'mcpbill;help;pricing;validate'= {
        }
        &'mcpbill;help;pricing;show'= {
        }
        &'mcpbill;help;pricing;quote'= {
        }
        &'mcpbill;help;help'= {
        }
    ]
    $completions[$command]
}
