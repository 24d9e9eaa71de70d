
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
        &'mcpbill;help'= {
            cand keygen 'Generate a random HMAC secret and write it to a new file (mode 0600)'
            cand completions 'Print a shell completion script'
            cand demo 'Try mcpbill: wrap a built-in example server, make a few dozen calls, show the bill'
            cand example-server 'A small stdio MCP server with priced example tools (used by `demo`, tests, benchmarks)'
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
        &'mcpbill;help;help'= {
        }
    ]
    $completions[$command]
}
