
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
            cand receipt 'Sign, verify and inspect receipts (HMAC-SHA256 over the canonical string)'
            cand completions 'Print a shell completion script'
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
        &'mcpbill;receipt'= {
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
            cand sign 'Sign a receipt for a meter event (file, stdin or flags)'
            cand verify 'Verify receipts offline: one JSON document or JSON Lines of any length'
            cand inspect 'Show a receipt, its canonical string and the signed fields'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mcpbill;receipt;sign'= {
            cand --key-file 'File holding the HMAC secret (one trailing newline is stripped)'
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
            cand --no-input 'Never prompt; a missing value is an error naming its flag'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpbill;receipt;verify'= {
            cand --key-file 'File holding the HMAC secret (one trailing newline is stripped)'
            cand --keyring 'TOML file mapping provider ids to key files (`acme = "acme.key"`, relative to the keyring''s directory), to verify several providers at once. Takes precedence over the key'
            cand --format 'Output format'
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
        &'mcpbill;receipt;inspect'= {
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
        &'mcpbill;help'= {
            cand keygen 'Generate a random HMAC secret and write it to a new file (mode 0600)'
            cand receipt 'Sign, verify and inspect receipts (HMAC-SHA256 over the canonical string)'
            cand completions 'Print a shell completion script'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mcpbill;help;keygen'= {
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
        &'mcpbill;help;completions'= {
        }
        &'mcpbill;help;help'= {
        }
    ]
    $completions[$command]
}
