
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
            cand pricing 'Declare tool prices in a TOML file: init, validate, show, quote'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mcpbill;help;keygen'= {
        }
        &'mcpbill;help;completions'= {
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
