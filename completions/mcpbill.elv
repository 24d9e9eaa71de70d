
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
            cand serve 'Serve receipts verification, pricing, discovery and feedback over HTTP'
            cand discovery 'Write or check a spec section 7 agents.json discovery document'
            cand check 'Check a provider''s billing server against the spec, section by section'
            cand forward 'Ship meter events from the log to a remote metering endpoint'
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
        &'mcpbill;serve'= {
            cand --log-dir 'The log directory whose receipts-*.jsonl files are served (default: MCPBILL_LOG_DIR, else the platform data directory)'
            cand --key-file 'The HMAC key file receipts are verified with (default: MCPBILL_KEY_FILE, else MCPBILL_KEY)'
            cand --pricing 'The pricing file (TOML) whose declarations GET /api/pricing publishes'
            cand --listen 'The address to listen on; port 0 picks a free port (the bound address is printed)'
            cand --api-keys 'The API keys file (TOML `[[keys]]` with `sha256`, `id`, `role`) that write endpoints check bearer keys against; without it, write endpoints answer 401'
            cand --base-url 'The public base URL of this server, used for absolute URLs in agents.json'
            cand --request-timeout 'Seconds a request may take before it is answered 408'
            cand --hash-key 'Read an API key on stdin and print the line to add to the --api-keys file, then exit'
            cand --role 'The role of the key given to --hash-key'
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
        &'mcpbill;discovery'= {
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
            cand --no-input 'Never prompt; a missing value is an error naming its flag'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpbill;discovery;check'= {
            cand --timeout 'Seconds each request may take'
            cand --ca-cert 'Trust this extra CA certificate (PEM), e.g. a private CA'
            cand --color 'When to use colour: auto honours NO_COLOR and only colours terminals'
            cand --allow-http 'Allow plain http:// URLs (https only otherwise)'
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
            cand --timeout 'Seconds each request may take'
            cand --ca-cert 'Trust this extra CA certificate (PEM), e.g. a private CA'
            cand --color 'When to use colour: auto honours NO_COLOR and only colours terminals'
            cand --allow-http 'Allow plain http:// URLs (https only otherwise)'
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
        &'mcpbill;forward'= {
            cand --log-dir 'The log directory whose events-*.jsonl files are shipped'
            cand --to 'The metering endpoint URL'
            cand --format 'The wire format'
            cand --batch 'Events per request'
            cand --attempts 'Attempts per batch before giving up (with --once; --follow retries forever)'
            cand --retry-delay 'Milliseconds before the first retry; each further retry waits twice as long (at most 30 s)'
            cand --poll 'Milliseconds between looks for new events with --follow'
            cand --token 'A bearer token sent with each request (default: MCPBILL_FORWARD_TOKEN)'
            cand --timeout 'Seconds each request may take'
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
            cand --no-input 'Never prompt; a missing value is an error naming its flag'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'mcpbill;help'= {
            cand keygen 'Generate a random HMAC secret and write it to a new file (mode 0600)'
            cand completions 'Print a shell completion script'
            cand serve 'Serve receipts verification, pricing, discovery and feedback over HTTP'
            cand discovery 'Write or check a spec section 7 agents.json discovery document'
            cand check 'Check a provider''s billing server against the spec, section by section'
            cand forward 'Ship meter events from the log to a remote metering endpoint'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'mcpbill;help;keygen'= {
        }
        &'mcpbill;help;completions'= {
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
        &'mcpbill;help;help'= {
        }
    ]
    $completions[$command]
}
