
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
            cand --no-input 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand demo 'Try mcpbill: wrap a built-in example server, make a few dozen calls, show the bill'
            cand wrap 'Run an MCP server behind a transparent stdio shim that meters every tool call'
            cand pricing 'Declare tool prices in a TOML file: init, validate, show, quote'
            cand receipt 'Sign, verify and inspect receipts (HMAC-SHA256 over the canonical string)'
            cand keygen 'Generate a random HMAC secret and write it to a new file (mode 0600)'
            cand verify-domain 'Prove control of a domain with a DNS TXT challenge (mint it, then check it)'
            cand verify-email 'Check an email address''s syntax and that its domain accepts mail (MX, or A/AAAA)'
            cand verify-code 'Check that a repository (local checkout or URL) names the provider id'
            cand dispute 'File, list, show and resolve disputes over receipts'
            cand trust 'Score providers (0-100) from event logs, disputes and verification records'
            cand report 'Usage analytics per tool, agent, provider, session or day (table, JSON, CSV, HTML)'
            cand feedback 'Record that a call''s result was discarded (or kept); never changes charges'
            cand export 'Export meter events for OpenMeter, Stripe or as CSV, keyed by event id'
            cand serve 'Serve receipts verification, pricing, discovery and feedback over HTTP'
            cand discovery 'Write or check a spec section 7 agents.json discovery document'
            cand check 'Check a provider''s billing server against the spec, section by section'
            cand forward 'Ship meter events from the log to a remote metering endpoint'
            cand completions 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mcpbill;demo'= {
            cand --log-dir 'Write the demo''s pricing file, key, events and receipts here (kept) instead of in a temporary directory'
            cand --color 'When to use colour: auto honours NO_COLOR and only colours terminals'
            cand --keep 'Keep the temporary directory and print its path'
            cand --json 'Print machine-readable JSON on stdout (no tables, colour or prompts)'
            cand -q 'Print only errors on stderr'
            cand --quiet 'Print only errors on stderr'
            cand -v 'Print more detail on stderr'
            cand --verbose 'Print more detail on stderr'
            cand --no-input 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'mcpbill;wrap'= {
            cand --pricing 'Pricing file (TOML) with the provider id and per-tool prices; without it every tool is free'
            cand --provider-id 'Provider id written in events and receipts (overrides the pricing file''s)'
            cand --agent-id 'Agent id of the consumer (default: the name in the client''s clientInfo, else "anonymous")'
            cand --log-dir 'Directory of the event log (default: the platform data directory)'
            cand --key-file 'File holding the HMAC secret that signs receipts (else MCPBILL_KEY; without a key, no receipts)'
            cand --verify-url-base 'Base URL for receipts'' verify_url (the receipt id is appended)'
            cand --forward 'Ship meter events to this metering endpoint in the background (see `mcpbill forward`)'
            cand --forward-format 'Wire format for --forward'
            cand --budget 'Monthly budget per agent, e.g. ''$5'' or 5000000microcents; calls beyond it are refused'
            cand --rate-limit 'Calls allowed per agent and period, e.g. 60/min, 10/s, 1000/h; calls beyond it are refused'
            cand --timeout 'Answer a call with an error (status timeout) when the server takes longer, e.g. 30s or 5m (a bare number is seconds)'
            cand --grace 'Time the server gets to exit after the client closes stdin, before SIGTERM and SIGKILL (at most 1s between a SIGTERM, SIGHUP or SIGQUIT sent to mcpbill and SIGKILL)'
            cand --max-line-bytes 'Longest JSON-RPC line relayed, in bytes; a longer line is dropped with an error'
            cand --record-params 'How call arguments are recorded in events'
            cand --record-results 'How call results are recorded in events'
            cand --redact 'Another key to redact from recorded arguments and results (repeatable)'
            cand --color 'When to use colour: auto honours NO_COLOR and only colours terminals'
            cand --forward-allow-http 'Allow a plain http:// --forward URL'
            cand --no-request-meta 'Do not add mcpbill/agent_id and mcpbill/request_id to the forwarded request''s _meta'
            cand --no-receipt-meta 'Do not add mcpbill/receipt to the result''s _meta'
            cand --json 'Print machine-readable JSON on stdout (no tables, colour or prompts)'
            cand -q 'Print only errors on stderr'
            cand --quiet 'Print only errors on stderr'
            cand -v 'Print more detail on stderr'
            cand --verbose 'Print more detail on stderr'
            cand --no-input 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'mcpbill;pricing'= {
            cand --color 'When to use colour: auto honours NO_COLOR and only colours terminals'
            cand --json 'Print machine-readable JSON on stdout (no tables, colour or prompts)'
            cand -q 'Print only errors on stderr'
            cand --quiet 'Print only errors on stderr'
            cand -v 'Print more detail on stderr'
            cand --verbose 'Print more detail on stderr'
            cand --no-input 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
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
            cand --no-input 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'mcpbill;pricing;validate'= {
            cand --color 'When to use colour: auto honours NO_COLOR and only colours terminals'
            cand --json 'Print machine-readable JSON on stdout (no tables, colour or prompts)'
            cand -q 'Print only errors on stderr'
            cand --quiet 'Print only errors on stderr'
            cand -v 'Print more detail on stderr'
            cand --verbose 'Print more detail on stderr'
            cand --no-input 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'mcpbill;pricing;show'= {
            cand --color 'When to use colour: auto honours NO_COLOR and only colours terminals'
            cand --json 'Print machine-readable JSON on stdout (no tables, colour or prompts)'
            cand -q 'Print only errors on stderr'
            cand --quiet 'Print only errors on stderr'
            cand -v 'Print more detail on stderr'
            cand --verbose 'Print more detail on stderr'
            cand --no-input 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
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
            cand --no-input 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
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
        &'mcpbill;receipt'= {
            cand --color 'When to use colour: auto honours NO_COLOR and only colours terminals'
            cand --json 'Print machine-readable JSON on stdout (no tables, colour or prompts)'
            cand -q 'Print only errors on stderr'
            cand --quiet 'Print only errors on stderr'
            cand -v 'Print more detail on stderr'
            cand --verbose 'Print more detail on stderr'
            cand --no-input 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand sign 'Sign a receipt for a meter event (file, stdin or flags)'
            cand verify 'Verify receipts offline: one JSON document or JSON Lines of any length'
            cand inspect 'Show a receipt, its canonical string and the signed fields'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mcpbill;receipt;sign'= {
            cand --key-file 'File holding the HMAC secret (one trailing newline is stripped). Without it, MCPBILL_KEY holds the secret itself'
            cand --tool-id 'Tool id (overrides the event''s)'
            cand --agent-id 'Agent id (overrides the event''s)'
            cand --provider-id 'Provider id (overrides the event''s)'
            cand --cost 'Cost: ''$0.05'', ''0.05'' (dollars) or ''50000microcents'' (overrides the event''s)'
            cand --status 'Status: success, error, timeout or rate_limited (overrides the event''s)'
            cand --timestamp 'RFC 3339 timestamp with zone (default: the event''s, else now)'
            cand --duration-ms 'Wall-clock duration in milliseconds (overrides the event''s)'
            cand --receipt-id 'Receipt id to use (default: a new random one)'
            cand --input 'JSON file with the call''s arguments: sets input_hash'
            cand --output 'JSON file with the call''s result: sets output_hash'
            cand --verify-url-base 'Base URL the receipt id is appended to, giving verify_url'
            cand --color 'When to use colour: auto honours NO_COLOR and only colours terminals'
            cand --json 'Print machine-readable JSON on stdout (no tables, colour or prompts)'
            cand -q 'Print only errors on stderr'
            cand --quiet 'Print only errors on stderr'
            cand -v 'Print more detail on stderr'
            cand --verbose 'Print more detail on stderr'
            cand --no-input 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'mcpbill;receipt;verify'= {
            cand --key-file 'File holding the HMAC secret (one trailing newline is stripped). Without it, MCPBILL_KEY holds the secret itself'
            cand --keyring 'TOML file mapping provider ids to key files (`acme = "acme.key"`, relative to the keyring''s directory), to verify several providers at once. Takes precedence over --key-file and MCPBILL_KEY'
            cand --format 'Output format (spec: offline only; --online prints its own report)'
            cand --timeout 'With --online: time each request may take, e.g. 10s or 500ms (a bare number is seconds)'
            cand --concurrency 'With --online: requests in flight at most'
            cand --ca-cert 'With --online: trust this extra CA certificate (PEM)'
            cand --color 'When to use colour: auto honours NO_COLOR and only colours terminals'
            cand --online 'Also ask each receipt''s verify_url and report where the provider disagrees'
            cand --allow-http 'With --online: allow plain http:// verify URLs (https only otherwise)'
            cand --json 'Print machine-readable JSON on stdout (no tables, colour or prompts)'
            cand -q 'Print only errors on stderr'
            cand --quiet 'Print only errors on stderr'
            cand -v 'Print more detail on stderr'
            cand --verbose 'Print more detail on stderr'
            cand --no-input 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'mcpbill;receipt;inspect'= {
            cand --id 'Show the receipt with this id, from a file of receipts (a receipts-*.jsonl log)'
            cand --color 'When to use colour: auto honours NO_COLOR and only colours terminals'
            cand --json 'Print machine-readable JSON on stdout (no tables, colour or prompts)'
            cand -q 'Print only errors on stderr'
            cand --quiet 'Print only errors on stderr'
            cand -v 'Print more detail on stderr'
            cand --verbose 'Print more detail on stderr'
            cand --no-input 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'mcpbill;receipt;help'= {
            cand sign 'Sign a receipt for a meter event (file, stdin or flags)'
            cand verify 'Verify receipts offline: one JSON document or JSON Lines of any length'
            cand inspect 'Show a receipt, its canonical string and the signed fields'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mcpbill;receipt;help;sign'= {
        }
        &'mcpbill;receipt;help;verify'= {
        }
        &'mcpbill;receipt;help;inspect'= {
        }
        &'mcpbill;receipt;help;help'= {
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
            cand --no-input 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'mcpbill;verify-domain'= {
            cand --provider-id 'The provider id; its first 8 characters go into the record value'
            cand --token 'The challenge token to look for (32 lowercase hex characters); default: the saved challenge'
            cand --state 'The file holding pending challenges (default: verify-challenges.json in $MCPBILL_STATE_DIR, else in the platform state directory)'
            cand --wait 'Keep checking until the record is found or this much time has passed'
            cand --interval 'Time between two checks with --wait'
            cand --record 'Append a verification record (JSON Lines) to this file when the domain is verified'
            cand --nameserver 'Ask this name server instead of the system resolver (IP or IP:PORT, default port 53; repeatable). Point it at the zone''s authoritative server to check before caches catch up'
            cand --timeout 'How long to wait for one DNS answer before trying again or giving up (a bare number is seconds)'
            cand --color 'When to use colour: auto honours NO_COLOR and only colours terminals'
            cand --new-challenge 'Mint a new challenge even if one is saved for this provider and domain, and print it'
            cand --json 'Print machine-readable JSON on stdout (no tables, colour or prompts)'
            cand -q 'Print only errors on stderr'
            cand --quiet 'Print only errors on stderr'
            cand -v 'Print more detail on stderr'
            cand --verbose 'Print more detail on stderr'
            cand --no-input 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'mcpbill;verify-email'= {
            cand --provider-id 'The provider id the address belongs to (required with --record)'
            cand --record 'Append a verification record (JSON Lines) to this file when the address is verified'
            cand --nameserver 'Ask this name server instead of the system resolver (IP or IP:PORT, default port 53; repeatable). Point it at the zone''s authoritative server to check before caches catch up'
            cand --timeout 'How long to wait for one DNS answer before trying again or giving up (a bare number is seconds)'
            cand --color 'When to use colour: auto honours NO_COLOR and only colours terminals'
            cand --json 'Print machine-readable JSON on stdout (no tables, colour or prompts)'
            cand -q 'Print only errors on stderr'
            cand --quiet 'Print only errors on stderr'
            cand -v 'Print more detail on stderr'
            cand --verbose 'Print more detail on stderr'
            cand --no-input 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'mcpbill;verify-code'= {
            cand --provider-id 'The provider id to look for'
            cand --timeout 'Time limit for each HTTP request (a bare number is seconds)'
            cand --record 'Append a verification record (JSON Lines) to this file when the code is verified'
            cand --color 'When to use colour: auto honours NO_COLOR and only colours terminals'
            cand --allow-http 'Allow plain http:// URLs (and redirects to them)'
            cand --json 'Print machine-readable JSON on stdout (no tables, colour or prompts)'
            cand -q 'Print only errors on stderr'
            cand --quiet 'Print only errors on stderr'
            cand -v 'Print more detail on stderr'
            cand --verbose 'Print more detail on stderr'
            cand --no-input 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'mcpbill;dispute'= {
            cand --color 'When to use colour: auto honours NO_COLOR and only colours terminals'
            cand --json 'Print machine-readable JSON on stdout (no tables, colour or prompts)'
            cand -q 'Print only errors on stderr'
            cand --quiet 'Print only errors on stderr'
            cand -v 'Print more detail on stderr'
            cand --verbose 'Print more detail on stderr'
            cand --no-input 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand file 'Contest the charge of a receipt; evidence is collected automatically'
            cand list 'List disputes (current status) with filters'
            cand show 'Show one dispute, its evidence and its history'
            cand update 'Move a dispute along filed -> under_review -> resolved_refund|resolved_denied|resolved_credit'
            cand submit 'Send a dispute filed here to its provider (again), as ''dispute file --submit'' does'
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
            cand --submit 'Also post the dispute to the provider at this base URL (found through its agents.json) and record the answer in dispute-submissions.jsonl'
            cand --api-key-file 'With --submit: file holding the API key sent as ''Authorization: Bearer'''
            cand --timeout 'With --submit: time each request may take, e.g. 10s or 500ms (a bare number is seconds)'
            cand --ca-cert 'With --submit: trust this extra CA certificate (PEM), e.g. a private CA'
            cand --log-dir 'Log directory holding disputes.jsonl, events and receipts (default: MCPBILL_LOG_DIR, else the platform data directory)'
            cand --color 'When to use colour: auto honours NO_COLOR and only colours terminals'
            cand --allow-http 'With --submit: allow a plain http:// provider URL'
            cand --json 'Print machine-readable JSON on stdout (no tables, colour or prompts)'
            cand -q 'Print only errors on stderr'
            cand --quiet 'Print only errors on stderr'
            cand -v 'Print more detail on stderr'
            cand --verbose 'Print more detail on stderr'
            cand --no-input 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
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
            cand --no-input 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'mcpbill;dispute;show'= {
            cand --log-dir 'Log directory holding disputes.jsonl, events and receipts (default: MCPBILL_LOG_DIR, else the platform data directory)'
            cand --color 'When to use colour: auto honours NO_COLOR and only colours terminals'
            cand --json 'Print machine-readable JSON on stdout (no tables, colour or prompts)'
            cand -q 'Print only errors on stderr'
            cand --quiet 'Print only errors on stderr'
            cand -v 'Print more detail on stderr'
            cand --verbose 'Print more detail on stderr'
            cand --no-input 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'mcpbill;dispute;update'= {
            cand --status 'The new status (not filed: that is where every dispute starts)'
            cand --note 'Why (kept in the history)'
            cand --credit 'Credit granted, with --status resolved_credit (''$0.02'', ''0.02'' or ''20000microcents'')'
            cand --log-dir 'Log directory holding disputes.jsonl, events and receipts (default: MCPBILL_LOG_DIR, else the platform data directory)'
            cand --color 'When to use colour: auto honours NO_COLOR and only colours terminals'
            cand --json 'Print machine-readable JSON on stdout (no tables, colour or prompts)'
            cand -q 'Print only errors on stderr'
            cand --quiet 'Print only errors on stderr'
            cand -v 'Print more detail on stderr'
            cand --verbose 'Print more detail on stderr'
            cand --no-input 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'mcpbill;dispute;submit'= {
            cand --to 'The provider''s base URL (its disputes endpoint is found through its agents.json)'
            cand --api-key-file 'File holding the API key sent as ''Authorization: Bearer'''
            cand --timeout 'Time each request may take, e.g. 10s or 500ms (a bare number is seconds)'
            cand --ca-cert 'Trust this extra CA certificate (PEM), e.g. a private CA'
            cand --log-dir 'Log directory holding disputes.jsonl, events and receipts (default: MCPBILL_LOG_DIR, else the platform data directory)'
            cand --color 'When to use colour: auto honours NO_COLOR and only colours terminals'
            cand --allow-http 'Allow a plain http:// provider URL'
            cand --json 'Print machine-readable JSON on stdout (no tables, colour or prompts)'
            cand -q 'Print only errors on stderr'
            cand --quiet 'Print only errors on stderr'
            cand -v 'Print more detail on stderr'
            cand --verbose 'Print more detail on stderr'
            cand --no-input 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'mcpbill;dispute;help'= {
            cand file 'Contest the charge of a receipt; evidence is collected automatically'
            cand list 'List disputes (current status) with filters'
            cand show 'Show one dispute, its evidence and its history'
            cand update 'Move a dispute along filed -> under_review -> resolved_refund|resolved_denied|resolved_credit'
            cand submit 'Send a dispute filed here to its provider (again), as ''dispute file --submit'' does'
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
        &'mcpbill;dispute;help;submit'= {
        }
        &'mcpbill;dispute;help;help'= {
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
            cand --min-score 'Exit 1 if any shown provider scores below N or has no events in the window, or none is shown (0 to 100, for CI)'
            cand --color 'When to use colour: auto honours NO_COLOR and only colours terminals'
            cand --json 'Print machine-readable JSON on stdout (no tables, colour or prompts)'
            cand -q 'Print only errors on stderr'
            cand --quiet 'Print only errors on stderr'
            cand -v 'Print more detail on stderr'
            cand --verbose 'Print more detail on stderr'
            cand --no-input 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'mcpbill;report'= {
            cand --by 'What to group by'
            cand --since 'Only events at or after this time (RFC 3339, or a date: its start, UTC)'
            cand --until 'Only events before this time (RFC 3339, or a date: the whole day is included)'
            cand --month 'Only events in this UTC month (YYYY-MM); combines with --since/--until'
            cand --log-dir 'Log directory (default: MCPBILL_LOG_DIR, else the platform data directory); also where feedback.jsonl is read'
            cand --feedback 'Feedback log (default: feedback.jsonl in the log directory, if it exists)'
            cand --budget 'Monthly budget per agent (''$50'', ''50'' or microcents), to show budget use with --by agent (events of one month)'
            cand --html 'Write one self-contained HTML page (inline SVG charts) to FILE (''-'': stdout)'
            cand --color 'When to use colour: auto honours NO_COLOR and only colours terminals'
            cand --csv 'Print CSV (a header, then one row per group) instead of a table'
            cand --json 'Print machine-readable JSON on stdout (no tables, colour or prompts)'
            cand -q 'Print only errors on stderr'
            cand --quiet 'Print only errors on stderr'
            cand -v 'Print more detail on stderr'
            cand --verbose 'Print more detail on stderr'
            cand --no-input 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
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
            cand --no-input 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
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
            cand --customer-map 'JSON object mapping agent ids to Stripe customer ids (stripe; without a map the agent id is sent, and with one an agent missing from it stops the export)'
            cand --color 'When to use colour: auto honours NO_COLOR and only colours terminals'
            cand --json 'Print machine-readable JSON on stdout (no tables, colour or prompts)'
            cand -q 'Print only errors on stderr'
            cand --quiet 'Print only errors on stderr'
            cand -v 'Print more detail on stderr'
            cand --verbose 'Print more detail on stderr'
            cand --no-input 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'mcpbill;serve'= {
            cand --log-dir 'The log directory whose receipts-*.jsonl files are served, which must exist (default: MCPBILL_LOG_DIR, else the platform data directory, created if needed)'
            cand --key-file 'The HMAC key file receipts are verified with (default: MCPBILL_KEY_FILE, else MCPBILL_KEY)'
            cand --pricing 'The pricing file (TOML) whose declarations GET /api/pricing publishes'
            cand --listen 'The address to listen on; port 0 picks a free port (the bound address is printed)'
            cand --api-keys 'The API keys file (TOML `[[keys]]` with `sha256`, `id`, `role`) that write endpoints check bearer keys against; without it, write endpoints answer 401'
            cand --base-url 'The public base URL of this server, used for absolute URLs in agents.json'
            cand --request-timeout 'Time a request may take before it is answered 408, e.g. 10s or 500ms (a bare number is seconds)'
            cand --verifications 'Verification records (JSON Lines from verify-* --record) for the trust endpoint'
            cand --hash-key 'Read an API key on stdin and print the line to add to the --api-keys file, then exit'
            cand --role 'The role of the key given to --hash-key'
            cand --color 'When to use colour: auto honours NO_COLOR and only colours terminals'
            cand --json 'Print machine-readable JSON on stdout (no tables, colour or prompts)'
            cand -q 'Print only errors on stderr'
            cand --quiet 'Print only errors on stderr'
            cand -v 'Print more detail on stderr'
            cand --verbose 'Print more detail on stderr'
            cand --no-input 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'mcpbill;discovery'= {
            cand --color 'When to use colour: auto honours NO_COLOR and only colours terminals'
            cand --json 'Print machine-readable JSON on stdout (no tables, colour or prompts)'
            cand -q 'Print only errors on stderr'
            cand --quiet 'Print only errors on stderr'
            cand -v 'Print more detail on stderr'
            cand --verbose 'Print more detail on stderr'
            cand --no-input 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand init 'Write a spec section 7 agents.json document'
            cand check 'Fetch an agents.json document and check its shape and that its endpoints answer'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mcpbill;discovery;init'= {
            cand --out 'Where to write the document (''-'' for stdout)'
            cand --base-url 'The public base URL of the billing server'
            cand --pricing 'The pricing file, for the provider id'
            cand --color 'When to use colour: auto honours NO_COLOR and only colours terminals'
            cand --force 'Overwrite an existing file'
            cand --json 'Print machine-readable JSON on stdout (no tables, colour or prompts)'
            cand -q 'Print only errors on stderr'
            cand --quiet 'Print only errors on stderr'
            cand -v 'Print more detail on stderr'
            cand --verbose 'Print more detail on stderr'
            cand --no-input 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'mcpbill;discovery;check'= {
            cand --timeout 'Time each request may take, e.g. 10s or 500ms (a bare number is seconds)'
            cand --ca-cert 'Trust this extra CA certificate (PEM), e.g. a private CA'
            cand --color 'When to use colour: auto honours NO_COLOR and only colours terminals'
            cand --allow-http 'Allow plain http:// URLs (https only otherwise)'
            cand --json 'Print machine-readable JSON on stdout (no tables, colour or prompts)'
            cand -q 'Print only errors on stderr'
            cand --quiet 'Print only errors on stderr'
            cand -v 'Print more detail on stderr'
            cand --verbose 'Print more detail on stderr'
            cand --no-input 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'mcpbill;discovery;help'= {
            cand init 'Write a spec section 7 agents.json document'
            cand check 'Fetch an agents.json document and check its shape and that its endpoints answer'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mcpbill;discovery;help;init'= {
        }
        &'mcpbill;discovery;help;check'= {
        }
        &'mcpbill;discovery;help;help'= {
        }
        &'mcpbill;check'= {
            cand --receipt 'A receipt (JSON file) to ask the receipts endpoint about'
            cand --key-file 'The HMAC key to verify the receipt locally and compare with the provider''s verdict'
            cand --timeout 'Time each request may take, e.g. 10s or 500ms (a bare number is seconds)'
            cand --ca-cert 'Trust this extra CA certificate (PEM), e.g. a private CA'
            cand --color 'When to use colour: auto honours NO_COLOR and only colours terminals'
            cand --allow-http 'Allow plain http:// URLs (https only otherwise)'
            cand --json 'Print machine-readable JSON on stdout (no tables, colour or prompts)'
            cand -q 'Print only errors on stderr'
            cand --quiet 'Print only errors on stderr'
            cand -v 'Print more detail on stderr'
            cand --verbose 'Print more detail on stderr'
            cand --no-input 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'mcpbill;forward'= {
            cand --log-dir 'The log directory whose events-*.jsonl files are shipped'
            cand --to 'The metering endpoint URL'
            cand --format 'The wire format'
            cand --batch 'Events per request'
            cand --attempts 'Attempts per batch before giving up (with --once; --follow retries forever)'
            cand --retry-delay 'Wait before the first retry, e.g. 500ms or 2s (a bare number is milliseconds); each further retry waits twice as long (at most 30 s)'
            cand --poll 'Time between looks for new events with --follow, e.g. 1s (a bare number is milliseconds)'
            cand --token 'A bearer token sent with each request (default: MCPBILL_FORWARD_TOKEN)'
            cand --timeout 'Time each request may take, e.g. 10s or 500ms (a bare number is seconds)'
            cand --ca-cert 'Trust this extra CA certificate (PEM), e.g. a private CA'
            cand --color 'When to use colour: auto honours NO_COLOR and only colours terminals'
            cand --once 'Ship what is in the log now, then exit (the default)'
            cand --follow 'Keep running and ship new events as they are written (stop with Ctrl-C)'
            cand --allow-http 'Allow plain http:// URLs (https only otherwise)'
            cand --json 'Print machine-readable JSON on stdout (no tables, colour or prompts)'
            cand -q 'Print only errors on stderr'
            cand --quiet 'Print only errors on stderr'
            cand -v 'Print more detail on stderr'
            cand --verbose 'Print more detail on stderr'
            cand --no-input 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'mcpbill;completions'= {
            cand --color 'When to use colour: auto honours NO_COLOR and only colours terminals'
            cand --json 'Print machine-readable JSON on stdout (no tables, colour or prompts)'
            cand -q 'Print only errors on stderr'
            cand --quiet 'Print only errors on stderr'
            cand -v 'Print more detail on stderr'
            cand --verbose 'Print more detail on stderr'
            cand --no-input 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
        }
        &'mcpbill;help'= {
            cand demo 'Try mcpbill: wrap a built-in example server, make a few dozen calls, show the bill'
            cand wrap 'Run an MCP server behind a transparent stdio shim that meters every tool call'
            cand pricing 'Declare tool prices in a TOML file: init, validate, show, quote'
            cand receipt 'Sign, verify and inspect receipts (HMAC-SHA256 over the canonical string)'
            cand keygen 'Generate a random HMAC secret and write it to a new file (mode 0600)'
            cand verify-domain 'Prove control of a domain with a DNS TXT challenge (mint it, then check it)'
            cand verify-email 'Check an email address''s syntax and that its domain accepts mail (MX, or A/AAAA)'
            cand verify-code 'Check that a repository (local checkout or URL) names the provider id'
            cand dispute 'File, list, show and resolve disputes over receipts'
            cand trust 'Score providers (0-100) from event logs, disputes and verification records'
            cand report 'Usage analytics per tool, agent, provider, session or day (table, JSON, CSV, HTML)'
            cand feedback 'Record that a call''s result was discarded (or kept); never changes charges'
            cand export 'Export meter events for OpenMeter, Stripe or as CSV, keyed by event id'
            cand serve 'Serve receipts verification, pricing, discovery and feedback over HTTP'
            cand discovery 'Write or check a spec section 7 agents.json discovery document'
            cand check 'Check a provider''s billing server against the spec, section by section'
            cand forward 'Ship meter events from the log to a remote metering endpoint'
            cand completions 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mcpbill;help;demo'= {
        }
        &'mcpbill;help;wrap'= {
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
        &'mcpbill;help;receipt'= {
            cand sign 'Sign a receipt for a meter event (file, stdin or flags)'
            cand verify 'Verify receipts offline: one JSON document or JSON Lines of any length'
            cand inspect 'Show a receipt, its canonical string and the signed fields'
        }
        &'mcpbill;help;receipt;sign'= {
        }
        &'mcpbill;help;receipt;verify'= {
        }
        &'mcpbill;help;receipt;inspect'= {
        }
        &'mcpbill;help;keygen'= {
        }
        &'mcpbill;help;verify-domain'= {
        }
        &'mcpbill;help;verify-email'= {
        }
        &'mcpbill;help;verify-code'= {
        }
        &'mcpbill;help;dispute'= {
            cand file 'Contest the charge of a receipt; evidence is collected automatically'
            cand list 'List disputes (current status) with filters'
            cand show 'Show one dispute, its evidence and its history'
            cand update 'Move a dispute along filed -> under_review -> resolved_refund|resolved_denied|resolved_credit'
            cand submit 'Send a dispute filed here to its provider (again), as ''dispute file --submit'' does'
        }
        &'mcpbill;help;dispute;file'= {
        }
        &'mcpbill;help;dispute;list'= {
        }
        &'mcpbill;help;dispute;show'= {
        }
        &'mcpbill;help;dispute;update'= {
        }
        &'mcpbill;help;dispute;submit'= {
        }
        &'mcpbill;help;trust'= {
        }
        &'mcpbill;help;report'= {
        }
        &'mcpbill;help;feedback'= {
        }
        &'mcpbill;help;export'= {
        }
        &'mcpbill;help;serve'= {
        }
        &'mcpbill;help;discovery'= {
            cand init 'Write a spec section 7 agents.json document'
            cand check 'Fetch an agents.json document and check its shape and that its endpoints answer'
        }
        &'mcpbill;help;discovery;init'= {
        }
        &'mcpbill;help;discovery;check'= {
        }
        &'mcpbill;help;check'= {
        }
        &'mcpbill;help;forward'= {
        }
        &'mcpbill;help;completions'= {
        }
        &'mcpbill;help;help'= {
        }
    ]
    $completions[$command]
}
