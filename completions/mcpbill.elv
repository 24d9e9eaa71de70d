
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
            cand demo 'Try mcpbill: wrap a built-in example server, make a few dozen calls, show the bill'
            cand example-server 'A small stdio MCP server with priced example tools (used by `demo`, tests, benchmarks)'
            cand wrap 'Run an MCP server behind a transparent stdio shim that meters every tool call'
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
        &'mcpbill;demo'= {
            cand --log-dir 'Write the demo''s pricing file, key, events and receipts here (kept) instead of in a temporary directory'
            cand --color 'When to use colour: auto honours NO_COLOR and only colours terminals'
            cand --keep 'Keep the temporary directory and print its path'
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
        &'mcpbill;example-server'= {
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
        &'mcpbill;wrap'= {
            cand --pricing 'Pricing file (TOML) with the provider id and per-tool prices; without it every tool is free'
            cand --provider-id 'Provider id written in events and receipts (overrides the pricing file''s)'
            cand --agent-id 'Agent id of the consumer (default: the client''s clientInfo.name, else "anonymous")'
            cand --log-dir 'Directory of the event log (default: the platform data directory)'
            cand --key-file 'File holding the HMAC secret that signs receipts (else MCPBILL_KEY; without a key, no receipts)'
            cand --verify-url-base 'Base URL for receipts'' verify_url (the receipt id is appended)'
            cand --budget 'Monthly budget per agent, e.g. ''$5'' or 5000000microcents; calls beyond it are refused'
            cand --rate-limit 'Calls allowed per agent and period, e.g. 60/min, 10/s, 1000/h; calls beyond it are refused'
            cand --timeout 'Answer a call with an error (status timeout) when the server takes longer, e.g. 30s or 5m'
            cand --grace 'Time the server gets to exit after the client closes stdin, before SIGTERM and SIGKILL'
            cand --max-line-bytes 'Longest JSON-RPC line relayed, in bytes; a longer line is dropped with an error'
            cand --record-params 'How call arguments are recorded in events'
            cand --record-results 'How call results are recorded in events'
            cand --redact 'Another key to redact from recorded arguments and results (repeatable)'
            cand --color 'When to use colour: auto honours NO_COLOR and only colours terminals'
            cand --no-request-meta 'Do not add mcpbill/agent_id and mcpbill/request_id to the forwarded request''s _meta'
            cand --no-receipt-meta 'Do not add mcpbill/receipt to the result''s _meta'
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
        &'mcpbill;help'= {
            cand keygen 'Generate a random HMAC secret and write it to a new file (mode 0600)'
            cand completions 'Print a shell completion script'
            cand demo 'Try mcpbill: wrap a built-in example server, make a few dozen calls, show the bill'
            cand example-server 'A small stdio MCP server with priced example tools (used by `demo`, tests, benchmarks)'
            cand wrap 'Run an MCP server behind a transparent stdio shim that meters every tool call'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mcpbill;help;keygen'= {
        }
        &'mcpbill;help;completions'= {
        }
        &'mcpbill;help;demo'= {
        }
        &'mcpbill;help;example-server'= {
        }
        &'mcpbill;help;wrap'= {
        }
        &'mcpbill;help;help'= {
        }
    ]
    $completions[$command]
}
