# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_mcpbill_global_optspecs
    string join \n json color= q/quiet v/verbose no-input h/help V/version
end

function __fish_mcpbill_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_mcpbill_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_mcpbill_using_subcommand
    set -l cmd (__fish_mcpbill_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c mcpbill -n "__fish_mcpbill_needs_command" -l color -d 'When to use colour: auto honours NO_COLOR and only colours terminals' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c mcpbill -n "__fish_mcpbill_needs_command" -l json -d 'Print machine-readable JSON on stdout (no tables, colour or prompts)'
complete -c mcpbill -n "__fish_mcpbill_needs_command" -s q -l quiet -d 'Print only errors on stderr'
complete -c mcpbill -n "__fish_mcpbill_needs_command" -s v -l verbose -d 'Print more detail on stderr'
complete -c mcpbill -n "__fish_mcpbill_needs_command" -l no-input -d 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on'
complete -c mcpbill -n "__fish_mcpbill_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpbill -n "__fish_mcpbill_needs_command" -s V -l version -d 'Print version'
complete -c mcpbill -n "__fish_mcpbill_needs_command" -f -a "demo" -d 'Try mcpbill: wrap a built-in example server, make a few dozen calls, show the bill'
complete -c mcpbill -n "__fish_mcpbill_needs_command" -f -a "wrap" -d 'Run an MCP server behind a transparent stdio shim that meters every tool call'
complete -c mcpbill -n "__fish_mcpbill_needs_command" -f -a "pricing" -d 'Declare tool prices in a TOML file: init, validate, show, quote'
complete -c mcpbill -n "__fish_mcpbill_needs_command" -f -a "receipt" -d 'Sign, verify and inspect receipts (HMAC-SHA256 over the canonical string)'
complete -c mcpbill -n "__fish_mcpbill_needs_command" -f -a "keygen" -d 'Generate a random HMAC secret and write it to a new file (mode 0600)'
complete -c mcpbill -n "__fish_mcpbill_needs_command" -f -a "verify-domain" -d 'Prove control of a domain with a DNS TXT challenge (mint it, then check it)'
complete -c mcpbill -n "__fish_mcpbill_needs_command" -f -a "verify-email" -d 'Check an email address\'s syntax and that its domain accepts mail (MX, or A/AAAA)'
complete -c mcpbill -n "__fish_mcpbill_needs_command" -f -a "verify-code" -d 'Check that a repository (local checkout or URL) names the provider id'
complete -c mcpbill -n "__fish_mcpbill_needs_command" -f -a "dispute" -d 'File, list, show and resolve disputes over receipts'
complete -c mcpbill -n "__fish_mcpbill_needs_command" -f -a "trust" -d 'Score providers (0-100) from event logs, disputes and verification records'
complete -c mcpbill -n "__fish_mcpbill_needs_command" -f -a "report" -d 'Usage analytics per tool, agent, provider, session or day (table, JSON, CSV, HTML)'
complete -c mcpbill -n "__fish_mcpbill_needs_command" -f -a "feedback" -d 'Record that a call\'s result was discarded (or kept); never changes charges'
complete -c mcpbill -n "__fish_mcpbill_needs_command" -f -a "export" -d 'Export meter events for OpenMeter, Stripe or as CSV, keyed by event id'
complete -c mcpbill -n "__fish_mcpbill_needs_command" -f -a "serve" -d 'Serve receipts verification, pricing, discovery and feedback over HTTP'
complete -c mcpbill -n "__fish_mcpbill_needs_command" -f -a "discovery" -d 'Write or check a spec section 7 agents.json discovery document'
complete -c mcpbill -n "__fish_mcpbill_needs_command" -f -a "check" -d 'Check a provider\'s billing server against the spec, section by section'
complete -c mcpbill -n "__fish_mcpbill_needs_command" -f -a "forward" -d 'Ship meter events from the log to a remote metering endpoint'
complete -c mcpbill -n "__fish_mcpbill_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c mcpbill -n "__fish_mcpbill_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand demo" -l log-dir -d 'Write the demo\'s pricing file, key, events and receipts here (kept) instead of in a temporary directory' -r -f -a "(__fish_complete_directories)"
complete -c mcpbill -n "__fish_mcpbill_using_subcommand demo" -l color -d 'When to use colour: auto honours NO_COLOR and only colours terminals' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c mcpbill -n "__fish_mcpbill_using_subcommand demo" -l keep -d 'Keep the temporary directory and print its path'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand demo" -l json -d 'Print machine-readable JSON on stdout (no tables, colour or prompts)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand demo" -s q -l quiet -d 'Print only errors on stderr'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand demo" -s v -l verbose -d 'Print more detail on stderr'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand demo" -l no-input -d 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand demo" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand wrap" -l pricing -d 'Pricing file (TOML) with the provider id and per-tool prices; without it every tool is free' -r -F
complete -c mcpbill -n "__fish_mcpbill_using_subcommand wrap" -l provider-id -d 'Provider id written in events and receipts (overrides the pricing file\'s)' -r
complete -c mcpbill -n "__fish_mcpbill_using_subcommand wrap" -l agent-id -d 'Agent id of the consumer (default: the name in the client\'s clientInfo, else "anonymous")' -r
complete -c mcpbill -n "__fish_mcpbill_using_subcommand wrap" -l log-dir -d 'Directory of the event log (default: the platform data directory)' -r -f -a "(__fish_complete_directories)"
complete -c mcpbill -n "__fish_mcpbill_using_subcommand wrap" -l key-file -d 'File holding the HMAC secret that signs receipts (else MCPBILL_KEY; without a key, no receipts)' -r -F
complete -c mcpbill -n "__fish_mcpbill_using_subcommand wrap" -l verify-url-base -d 'Base URL for receipts\' verify_url (the receipt id is appended)' -r -f
complete -c mcpbill -n "__fish_mcpbill_using_subcommand wrap" -l forward -d 'Ship meter events to this metering endpoint in the background (see `mcpbill forward`)' -r -f
complete -c mcpbill -n "__fish_mcpbill_using_subcommand wrap" -l forward-format -d 'Wire format for --forward' -r -f -a "spec\t'A JSON array of spec section 1 meter events'
openmeter\t'A CloudEvents batch for OpenMeter\'s ingest endpoint'"
complete -c mcpbill -n "__fish_mcpbill_using_subcommand wrap" -l budget -d 'Monthly budget per agent, e.g. \'$5\' or 5000000microcents; calls beyond it are refused' -r
complete -c mcpbill -n "__fish_mcpbill_using_subcommand wrap" -l rate-limit -d 'Calls allowed per agent and period, e.g. 60/min, 10/s, 1000/h; calls beyond it are refused' -r
complete -c mcpbill -n "__fish_mcpbill_using_subcommand wrap" -l timeout -d 'Answer a call with an error (status timeout) when the server takes longer, e.g. 30s or 5m (a bare number is seconds)' -r
complete -c mcpbill -n "__fish_mcpbill_using_subcommand wrap" -l grace -d 'Time the server gets to exit after the client closes stdin, before SIGTERM and SIGKILL (at most 1s between a SIGTERM, SIGHUP or SIGQUIT sent to mcpbill and SIGKILL)' -r
complete -c mcpbill -n "__fish_mcpbill_using_subcommand wrap" -l max-line-bytes -d 'Longest JSON-RPC line relayed, in bytes; a longer line is dropped with an error' -r
complete -c mcpbill -n "__fish_mcpbill_using_subcommand wrap" -l record-params -d 'How call arguments are recorded in events' -r -f -a "none\t'Keep nothing'
redacted\t'Keep the structure with secret-looking values replaced'
full\t'Keep everything'"
complete -c mcpbill -n "__fish_mcpbill_using_subcommand wrap" -l record-results -d 'How call results are recorded in events' -r -f -a "none\t'Keep nothing'
redacted\t'Keep the structure with secret-looking values replaced'
full\t'Keep everything'"
complete -c mcpbill -n "__fish_mcpbill_using_subcommand wrap" -l redact -d 'Another key to redact from recorded arguments and results (repeatable)' -r
complete -c mcpbill -n "__fish_mcpbill_using_subcommand wrap" -l color -d 'When to use colour: auto honours NO_COLOR and only colours terminals' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c mcpbill -n "__fish_mcpbill_using_subcommand wrap" -l forward-allow-http -d 'Allow a plain http:// --forward URL'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand wrap" -l no-request-meta -d 'Do not add mcpbill/agent_id and mcpbill/request_id to the forwarded request\'s _meta'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand wrap" -l no-receipt-meta -d 'Do not add mcpbill/receipt to the result\'s _meta'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand wrap" -l json -d 'Print machine-readable JSON on stdout (no tables, colour or prompts)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand wrap" -s q -l quiet -d 'Print only errors on stderr'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand wrap" -s v -l verbose -d 'Print more detail on stderr'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand wrap" -l no-input -d 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand wrap" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand pricing; and not __fish_seen_subcommand_from init validate show quote help" -l color -d 'When to use colour: auto honours NO_COLOR and only colours terminals' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c mcpbill -n "__fish_mcpbill_using_subcommand pricing; and not __fish_seen_subcommand_from init validate show quote help" -l json -d 'Print machine-readable JSON on stdout (no tables, colour or prompts)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand pricing; and not __fish_seen_subcommand_from init validate show quote help" -s q -l quiet -d 'Print only errors on stderr'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand pricing; and not __fish_seen_subcommand_from init validate show quote help" -s v -l verbose -d 'Print more detail on stderr'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand pricing; and not __fish_seen_subcommand_from init validate show quote help" -l no-input -d 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand pricing; and not __fish_seen_subcommand_from init validate show quote help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand pricing; and not __fish_seen_subcommand_from init validate show quote help" -f -a "init" -d 'Write a commented pricing file (a wizard on a terminal, flags otherwise)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand pricing; and not __fish_seen_subcommand_from init validate show quote help" -f -a "validate" -d 'Check a pricing file and report every problem with its line and column'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand pricing; and not __fish_seen_subcommand_from init validate show quote help" -f -a "show" -d 'Show a pricing file as a table, or as spec section 3 declarations with --json'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand pricing; and not __fish_seen_subcommand_from init validate show quote help" -f -a "quote" -d 'Compute the exact cost of one call'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand pricing; and not __fish_seen_subcommand_from init validate show quote help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand pricing; and __fish_seen_subcommand_from init" -l provider-id -d 'The provider id (also the provider_id of every receipt)' -r
complete -c mcpbill -n "__fish_mcpbill_using_subcommand pricing; and __fish_seen_subcommand_from init" -l currency -d 'ISO 4217 currency code' -r
complete -c mcpbill -n "__fish_mcpbill_using_subcommand pricing; and __fish_seen_subcommand_from init" -l category -d 'Provider category (used to compare latency in trust scores)' -r
complete -c mcpbill -n "__fish_mcpbill_using_subcommand pricing; and __fish_seen_subcommand_from init" -l tool -d 'The tool id to declare (the MCP tool name)' -r
complete -c mcpbill -n "__fish_mcpbill_using_subcommand pricing; and __fish_seen_subcommand_from init" -l model -d 'Pricing model of the tool' -r -f -a "per_call\t'A flat rate per call'
per_token\t'A rate per input and output token'
free\t'No charge'"
complete -c mcpbill -n "__fish_mcpbill_using_subcommand pricing; and __fish_seen_subcommand_from init" -l price -d 'Price per call (\'$0.05\', \'0.05\' or \'50000microcents\'), for per_call' -r
complete -c mcpbill -n "__fish_mcpbill_using_subcommand pricing; and __fish_seen_subcommand_from init" -l input-token-price -d 'Price per input token, for per_token' -r
complete -c mcpbill -n "__fish_mcpbill_using_subcommand pricing; and __fish_seen_subcommand_from init" -l output-token-price -d 'Price per output token, for per_token' -r
complete -c mcpbill -n "__fish_mcpbill_using_subcommand pricing; and __fish_seen_subcommand_from init" -l free-calls -d 'Free calls per agent per month' -r
complete -c mcpbill -n "__fish_mcpbill_using_subcommand pricing; and __fish_seen_subcommand_from init" -l free-tokens -d 'Free tokens per agent per month (per_token only)' -r
complete -c mcpbill -n "__fish_mcpbill_using_subcommand pricing; and __fish_seen_subcommand_from init" -l record-params -d 'How much of the tool\'s arguments the wrap shim records' -r -f -a "none\t'Keep nothing'
redacted\t'Keep the structure with secret-looking values replaced'
full\t'Keep everything'"
complete -c mcpbill -n "__fish_mcpbill_using_subcommand pricing; and __fish_seen_subcommand_from init" -l record-results -d 'How much of the tool\'s results the wrap shim records' -r -f -a "none\t'Keep nothing'
redacted\t'Keep the structure with secret-looking values replaced'
full\t'Keep everything'"
complete -c mcpbill -n "__fish_mcpbill_using_subcommand pricing; and __fish_seen_subcommand_from init" -l color -d 'When to use colour: auto honours NO_COLOR and only colours terminals' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c mcpbill -n "__fish_mcpbill_using_subcommand pricing; and __fish_seen_subcommand_from init" -l force -d 'Overwrite the file if it exists'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand pricing; and __fish_seen_subcommand_from init" -l json -d 'Print machine-readable JSON on stdout (no tables, colour or prompts)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand pricing; and __fish_seen_subcommand_from init" -s q -l quiet -d 'Print only errors on stderr'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand pricing; and __fish_seen_subcommand_from init" -s v -l verbose -d 'Print more detail on stderr'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand pricing; and __fish_seen_subcommand_from init" -l no-input -d 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand pricing; and __fish_seen_subcommand_from init" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand pricing; and __fish_seen_subcommand_from validate" -l color -d 'When to use colour: auto honours NO_COLOR and only colours terminals' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c mcpbill -n "__fish_mcpbill_using_subcommand pricing; and __fish_seen_subcommand_from validate" -l json -d 'Print machine-readable JSON on stdout (no tables, colour or prompts)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand pricing; and __fish_seen_subcommand_from validate" -s q -l quiet -d 'Print only errors on stderr'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand pricing; and __fish_seen_subcommand_from validate" -s v -l verbose -d 'Print more detail on stderr'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand pricing; and __fish_seen_subcommand_from validate" -l no-input -d 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand pricing; and __fish_seen_subcommand_from validate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand pricing; and __fish_seen_subcommand_from show" -l color -d 'When to use colour: auto honours NO_COLOR and only colours terminals' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c mcpbill -n "__fish_mcpbill_using_subcommand pricing; and __fish_seen_subcommand_from show" -l json -d 'Print machine-readable JSON on stdout (no tables, colour or prompts)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand pricing; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print only errors on stderr'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand pricing; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Print more detail on stderr'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand pricing; and __fish_seen_subcommand_from show" -l no-input -d 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand pricing; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand pricing; and __fish_seen_subcommand_from quote" -l tool -d 'The tool to quote' -r
complete -c mcpbill -n "__fish_mcpbill_using_subcommand pricing; and __fish_seen_subcommand_from quote" -l input-tokens -d 'Input tokens of the call' -r
complete -c mcpbill -n "__fish_mcpbill_using_subcommand pricing; and __fish_seen_subcommand_from quote" -l output-tokens -d 'Output tokens of the call' -r
complete -c mcpbill -n "__fish_mcpbill_using_subcommand pricing; and __fish_seen_subcommand_from quote" -l calls-this-month -d 'Successful calls the agent already made this month (for the free tier)' -r
complete -c mcpbill -n "__fish_mcpbill_using_subcommand pricing; and __fish_seen_subcommand_from quote" -l tokens-this-month -d 'Tokens the agent already used this month (for the free tier)' -r
complete -c mcpbill -n "__fish_mcpbill_using_subcommand pricing; and __fish_seen_subcommand_from quote" -l color -d 'When to use colour: auto honours NO_COLOR and only colours terminals' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c mcpbill -n "__fish_mcpbill_using_subcommand pricing; and __fish_seen_subcommand_from quote" -l json -d 'Print machine-readable JSON on stdout (no tables, colour or prompts)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand pricing; and __fish_seen_subcommand_from quote" -s q -l quiet -d 'Print only errors on stderr'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand pricing; and __fish_seen_subcommand_from quote" -s v -l verbose -d 'Print more detail on stderr'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand pricing; and __fish_seen_subcommand_from quote" -l no-input -d 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand pricing; and __fish_seen_subcommand_from quote" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand pricing; and __fish_seen_subcommand_from help" -f -a "init" -d 'Write a commented pricing file (a wizard on a terminal, flags otherwise)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand pricing; and __fish_seen_subcommand_from help" -f -a "validate" -d 'Check a pricing file and report every problem with its line and column'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand pricing; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show a pricing file as a table, or as spec section 3 declarations with --json'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand pricing; and __fish_seen_subcommand_from help" -f -a "quote" -d 'Compute the exact cost of one call'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand pricing; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and not __fish_seen_subcommand_from sign verify inspect help" -l color -d 'When to use colour: auto honours NO_COLOR and only colours terminals' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and not __fish_seen_subcommand_from sign verify inspect help" -l json -d 'Print machine-readable JSON on stdout (no tables, colour or prompts)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and not __fish_seen_subcommand_from sign verify inspect help" -s q -l quiet -d 'Print only errors on stderr'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and not __fish_seen_subcommand_from sign verify inspect help" -s v -l verbose -d 'Print more detail on stderr'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and not __fish_seen_subcommand_from sign verify inspect help" -l no-input -d 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and not __fish_seen_subcommand_from sign verify inspect help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and not __fish_seen_subcommand_from sign verify inspect help" -f -a "sign" -d 'Sign a receipt for a meter event (file, stdin or flags)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and not __fish_seen_subcommand_from sign verify inspect help" -f -a "verify" -d 'Verify receipts offline: one JSON document or JSON Lines of any length'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and not __fish_seen_subcommand_from sign verify inspect help" -f -a "inspect" -d 'Show a receipt, its canonical string and the signed fields'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and not __fish_seen_subcommand_from sign verify inspect help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and __fish_seen_subcommand_from sign" -l key-file -d 'File holding the HMAC secret (one trailing newline is stripped). Without it, MCPBILL_KEY holds the secret itself' -r -F
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and __fish_seen_subcommand_from sign" -l tool-id -d 'Tool id (overrides the event\'s)' -r
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and __fish_seen_subcommand_from sign" -l agent-id -d 'Agent id (overrides the event\'s)' -r
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and __fish_seen_subcommand_from sign" -l provider-id -d 'Provider id (overrides the event\'s)' -r
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and __fish_seen_subcommand_from sign" -l cost -d 'Cost: \'$0.05\', \'0.05\' (dollars) or \'50000microcents\' (overrides the event\'s)' -r
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and __fish_seen_subcommand_from sign" -l status -d 'Status: success, error, timeout or rate_limited (overrides the event\'s)' -r
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and __fish_seen_subcommand_from sign" -l timestamp -d 'RFC 3339 timestamp with zone (default: the event\'s, else now)' -r
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and __fish_seen_subcommand_from sign" -l duration-ms -d 'Wall-clock duration in milliseconds (overrides the event\'s)' -r
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and __fish_seen_subcommand_from sign" -l receipt-id -d 'Receipt id to use (default: a new random one)' -r
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and __fish_seen_subcommand_from sign" -l input -d 'JSON file with the call\'s arguments: sets input_hash' -r -F
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and __fish_seen_subcommand_from sign" -l output -d 'JSON file with the call\'s result: sets output_hash' -r -F
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and __fish_seen_subcommand_from sign" -l verify-url-base -d 'Base URL the receipt id is appended to, giving verify_url' -r -f
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and __fish_seen_subcommand_from sign" -l color -d 'When to use colour: auto honours NO_COLOR and only colours terminals' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and __fish_seen_subcommand_from sign" -l json -d 'Print machine-readable JSON on stdout (no tables, colour or prompts)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and __fish_seen_subcommand_from sign" -s q -l quiet -d 'Print only errors on stderr'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and __fish_seen_subcommand_from sign" -s v -l verbose -d 'Print more detail on stderr'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and __fish_seen_subcommand_from sign" -l no-input -d 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and __fish_seen_subcommand_from sign" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and __fish_seen_subcommand_from verify" -l key-file -d 'File holding the HMAC secret (one trailing newline is stripped). Without it, MCPBILL_KEY holds the secret itself' -r -F
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and __fish_seen_subcommand_from verify" -l keyring -d 'TOML file mapping provider ids to key files (`acme = "acme.key"`, relative to the keyring\'s directory), to verify several providers at once. Takes precedence over --key-file and MCPBILL_KEY' -r -F
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and __fish_seen_subcommand_from verify" -l format -d 'Output format (spec: offline only; --online prints its own report)' -r -f -a "verdicts\t'A verdict line per receipt and a summary (JSON Lines with --json)'
spec\t'The spec\'s verification response, one per receipt'"
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and __fish_seen_subcommand_from verify" -l timeout -d 'With --online: time each request may take, e.g. 10s or 500ms (a bare number is seconds)' -r
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and __fish_seen_subcommand_from verify" -l concurrency -d 'With --online: requests in flight at most' -r
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and __fish_seen_subcommand_from verify" -l ca-cert -d 'With --online: trust this extra CA certificate (PEM)' -r -F
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and __fish_seen_subcommand_from verify" -l color -d 'When to use colour: auto honours NO_COLOR and only colours terminals' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and __fish_seen_subcommand_from verify" -l online -d 'Also ask each receipt\'s verify_url and report where the provider disagrees'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and __fish_seen_subcommand_from verify" -l allow-http -d 'With --online: allow plain http:// verify URLs (https only otherwise)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and __fish_seen_subcommand_from verify" -l json -d 'Print machine-readable JSON on stdout (no tables, colour or prompts)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and __fish_seen_subcommand_from verify" -s q -l quiet -d 'Print only errors on stderr'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and __fish_seen_subcommand_from verify" -s v -l verbose -d 'Print more detail on stderr'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and __fish_seen_subcommand_from verify" -l no-input -d 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and __fish_seen_subcommand_from verify" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and __fish_seen_subcommand_from inspect" -l id -d 'Show the receipt with this id, from a file of receipts (a receipts-*.jsonl log)' -r
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and __fish_seen_subcommand_from inspect" -l color -d 'When to use colour: auto honours NO_COLOR and only colours terminals' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and __fish_seen_subcommand_from inspect" -l json -d 'Print machine-readable JSON on stdout (no tables, colour or prompts)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and __fish_seen_subcommand_from inspect" -s q -l quiet -d 'Print only errors on stderr'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and __fish_seen_subcommand_from inspect" -s v -l verbose -d 'Print more detail on stderr'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and __fish_seen_subcommand_from inspect" -l no-input -d 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and __fish_seen_subcommand_from inspect" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and __fish_seen_subcommand_from help" -f -a "sign" -d 'Sign a receipt for a meter event (file, stdin or flags)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and __fish_seen_subcommand_from help" -f -a "verify" -d 'Verify receipts offline: one JSON document or JSON Lines of any length'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and __fish_seen_subcommand_from help" -f -a "inspect" -d 'Show a receipt, its canonical string and the signed fields'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand keygen" -s o -l out -d 'Where to write the secret (64 hex characters and a newline, mode 0600)' -r -F
complete -c mcpbill -n "__fish_mcpbill_using_subcommand keygen" -l color -d 'When to use colour: auto honours NO_COLOR and only colours terminals' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c mcpbill -n "__fish_mcpbill_using_subcommand keygen" -l force -d 'Overwrite the file if it exists'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand keygen" -l json -d 'Print machine-readable JSON on stdout (no tables, colour or prompts)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand keygen" -s q -l quiet -d 'Print only errors on stderr'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand keygen" -s v -l verbose -d 'Print more detail on stderr'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand keygen" -l no-input -d 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand keygen" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand verify-domain" -l provider-id -d 'The provider id; its first 8 characters go into the record value' -r
complete -c mcpbill -n "__fish_mcpbill_using_subcommand verify-domain" -l token -d 'The challenge token to look for (32 lowercase hex characters); default: the saved challenge' -r
complete -c mcpbill -n "__fish_mcpbill_using_subcommand verify-domain" -l state -d 'The file holding pending challenges (default: verify-challenges.json in $MCPBILL_STATE_DIR, else in the platform state directory)' -r -F
complete -c mcpbill -n "__fish_mcpbill_using_subcommand verify-domain" -l wait -d 'Keep checking until the record is found or this much time has passed' -r
complete -c mcpbill -n "__fish_mcpbill_using_subcommand verify-domain" -l interval -d 'Time between two checks with --wait' -r
complete -c mcpbill -n "__fish_mcpbill_using_subcommand verify-domain" -l record -d 'Append a verification record (JSON Lines) to this file when the domain is verified' -r -F
complete -c mcpbill -n "__fish_mcpbill_using_subcommand verify-domain" -l nameserver -d 'Ask this name server instead of the system resolver (IP or IP:PORT, default port 53; repeatable). Point it at the zone\'s authoritative server to check before caches catch up' -r
complete -c mcpbill -n "__fish_mcpbill_using_subcommand verify-domain" -l timeout -d 'How long to wait for one DNS answer before trying again or giving up (a bare number is seconds)' -r
complete -c mcpbill -n "__fish_mcpbill_using_subcommand verify-domain" -l color -d 'When to use colour: auto honours NO_COLOR and only colours terminals' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c mcpbill -n "__fish_mcpbill_using_subcommand verify-domain" -l new-challenge -d 'Mint a new challenge even if one is saved for this provider and domain, and print it'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand verify-domain" -l json -d 'Print machine-readable JSON on stdout (no tables, colour or prompts)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand verify-domain" -s q -l quiet -d 'Print only errors on stderr'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand verify-domain" -s v -l verbose -d 'Print more detail on stderr'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand verify-domain" -l no-input -d 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand verify-domain" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand verify-email" -l provider-id -d 'The provider id the address belongs to (required with --record)' -r
complete -c mcpbill -n "__fish_mcpbill_using_subcommand verify-email" -l record -d 'Append a verification record (JSON Lines) to this file when the address is verified' -r -F
complete -c mcpbill -n "__fish_mcpbill_using_subcommand verify-email" -l nameserver -d 'Ask this name server instead of the system resolver (IP or IP:PORT, default port 53; repeatable). Point it at the zone\'s authoritative server to check before caches catch up' -r
complete -c mcpbill -n "__fish_mcpbill_using_subcommand verify-email" -l timeout -d 'How long to wait for one DNS answer before trying again or giving up (a bare number is seconds)' -r
complete -c mcpbill -n "__fish_mcpbill_using_subcommand verify-email" -l color -d 'When to use colour: auto honours NO_COLOR and only colours terminals' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c mcpbill -n "__fish_mcpbill_using_subcommand verify-email" -l json -d 'Print machine-readable JSON on stdout (no tables, colour or prompts)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand verify-email" -s q -l quiet -d 'Print only errors on stderr'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand verify-email" -s v -l verbose -d 'Print more detail on stderr'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand verify-email" -l no-input -d 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand verify-email" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand verify-code" -l provider-id -d 'The provider id to look for' -r
complete -c mcpbill -n "__fish_mcpbill_using_subcommand verify-code" -l timeout -d 'Time limit for each HTTP request (a bare number is seconds)' -r
complete -c mcpbill -n "__fish_mcpbill_using_subcommand verify-code" -l record -d 'Append a verification record (JSON Lines) to this file when the code is verified' -r -F
complete -c mcpbill -n "__fish_mcpbill_using_subcommand verify-code" -l color -d 'When to use colour: auto honours NO_COLOR and only colours terminals' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c mcpbill -n "__fish_mcpbill_using_subcommand verify-code" -l allow-http -d 'Allow plain http:// URLs (and redirects to them)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand verify-code" -l json -d 'Print machine-readable JSON on stdout (no tables, colour or prompts)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand verify-code" -s q -l quiet -d 'Print only errors on stderr'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand verify-code" -s v -l verbose -d 'Print more detail on stderr'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand verify-code" -l no-input -d 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand verify-code" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand dispute; and not __fish_seen_subcommand_from file list show update submit help" -l color -d 'When to use colour: auto honours NO_COLOR and only colours terminals' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c mcpbill -n "__fish_mcpbill_using_subcommand dispute; and not __fish_seen_subcommand_from file list show update submit help" -l json -d 'Print machine-readable JSON on stdout (no tables, colour or prompts)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand dispute; and not __fish_seen_subcommand_from file list show update submit help" -s q -l quiet -d 'Print only errors on stderr'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand dispute; and not __fish_seen_subcommand_from file list show update submit help" -s v -l verbose -d 'Print more detail on stderr'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand dispute; and not __fish_seen_subcommand_from file list show update submit help" -l no-input -d 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand dispute; and not __fish_seen_subcommand_from file list show update submit help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand dispute; and not __fish_seen_subcommand_from file list show update submit help" -f -a "file" -d 'Contest the charge of a receipt; evidence is collected automatically'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand dispute; and not __fish_seen_subcommand_from file list show update submit help" -f -a "list" -d 'List disputes (current status) with filters'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand dispute; and not __fish_seen_subcommand_from file list show update submit help" -f -a "show" -d 'Show one dispute, its evidence and its history'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand dispute; and not __fish_seen_subcommand_from file list show update submit help" -f -a "update" -d 'Move a dispute along filed -> under_review -> resolved_refund|resolved_denied|resolved_credit'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand dispute; and not __fish_seen_subcommand_from file list show update submit help" -f -a "submit" -d 'Send a dispute filed here to its provider (again), as \'dispute file --submit\' does'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand dispute; and not __fish_seen_subcommand_from file list show update submit help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand dispute; and __fish_seen_subcommand_from file" -l receipt -d 'The receipt JSON file (\'-\' for stdin)' -r -F
complete -c mcpbill -n "__fish_mcpbill_using_subcommand dispute; and __fish_seen_subcommand_from file" -l receipt-id -d 'A receipt id to look up in the log directory\'s receipts-*.jsonl' -r
complete -c mcpbill -n "__fish_mcpbill_using_subcommand dispute; and __fish_seen_subcommand_from file" -l reason -d 'Why the charge is contested' -r -f -a "tool_error\t'The tool returned an error but the agent was charged'
overcharge\t'The charge exceeds the declared pricing'
timeout\t'The tool timed out but the agent was charged'
quality\t'The output does not match the tool\'s description'
other\t'Anything else (a description is required)'"
complete -c mcpbill -n "__fish_mcpbill_using_subcommand dispute; and __fish_seen_subcommand_from file" -l description -d 'What went wrong (required for --reason other)' -r
complete -c mcpbill -n "__fish_mcpbill_using_subcommand dispute; and __fish_seen_subcommand_from file" -l filed-by -d 'Who files (default: the receipt\'s agent, or its provider with --filed-by-type provider)' -r
complete -c mcpbill -n "__fish_mcpbill_using_subcommand dispute; and __fish_seen_subcommand_from file" -l filed-by-type -d 'Whether the filer is the agent or the provider' -r -f -a "agent\t'The consumer of the tool'
provider\t'The tool operator'"
complete -c mcpbill -n "__fish_mcpbill_using_subcommand dispute; and __fish_seen_subcommand_from file" -l key-file -d 'File holding the HMAC secret, to record the receipt\'s signature verdict' -r -F
complete -c mcpbill -n "__fish_mcpbill_using_subcommand dispute; and __fish_seen_subcommand_from file" -l pricing -d 'Pricing files; the one for the receipt\'s provider gives the expected cost (repeatable)' -r -F
complete -c mcpbill -n "__fish_mcpbill_using_subcommand dispute; and __fish_seen_subcommand_from file" -l submit -d 'Also post the dispute to the provider at this base URL (found through its agents.json) and record the answer in dispute-submissions.jsonl' -r -f
complete -c mcpbill -n "__fish_mcpbill_using_subcommand dispute; and __fish_seen_subcommand_from file" -l api-key-file -d 'With --submit: file holding the API key sent as \'Authorization: Bearer\'' -r -F
complete -c mcpbill -n "__fish_mcpbill_using_subcommand dispute; and __fish_seen_subcommand_from file" -l timeout -d 'With --submit: time each request may take, e.g. 10s or 500ms (a bare number is seconds)' -r
complete -c mcpbill -n "__fish_mcpbill_using_subcommand dispute; and __fish_seen_subcommand_from file" -l ca-cert -d 'With --submit: trust this extra CA certificate (PEM), e.g. a private CA' -r -F
complete -c mcpbill -n "__fish_mcpbill_using_subcommand dispute; and __fish_seen_subcommand_from file" -l log-dir -d 'Log directory holding disputes.jsonl, events and receipts (default: MCPBILL_LOG_DIR, else the platform data directory)' -r -f -a "(__fish_complete_directories)"
complete -c mcpbill -n "__fish_mcpbill_using_subcommand dispute; and __fish_seen_subcommand_from file" -l color -d 'When to use colour: auto honours NO_COLOR and only colours terminals' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c mcpbill -n "__fish_mcpbill_using_subcommand dispute; and __fish_seen_subcommand_from file" -l allow-http -d 'With --submit: allow a plain http:// provider URL'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand dispute; and __fish_seen_subcommand_from file" -l json -d 'Print machine-readable JSON on stdout (no tables, colour or prompts)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand dispute; and __fish_seen_subcommand_from file" -s q -l quiet -d 'Print only errors on stderr'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand dispute; and __fish_seen_subcommand_from file" -s v -l verbose -d 'Print more detail on stderr'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand dispute; and __fish_seen_subcommand_from file" -l no-input -d 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand dispute; and __fish_seen_subcommand_from file" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand dispute; and __fish_seen_subcommand_from list" -l status -d 'Only disputes with this current status' -r -f -a "filed\t'Created'
under_review\t'Being investigated'
resolved_refund\t'Full refund issued to the agent'
resolved_denied\t'Rejected; the charge stands'
resolved_credit\t'Partial credit or another resolution'"
complete -c mcpbill -n "__fish_mcpbill_using_subcommand dispute; and __fish_seen_subcommand_from list" -l provider -d 'Only disputes against this provider' -r
complete -c mcpbill -n "__fish_mcpbill_using_subcommand dispute; and __fish_seen_subcommand_from list" -l agent -d 'Only disputes on this agent\'s receipts' -r
complete -c mcpbill -n "__fish_mcpbill_using_subcommand dispute; and __fish_seen_subcommand_from list" -l reason -d 'Only disputes with this reason' -r -f -a "tool_error\t'The tool returned an error but the agent was charged'
overcharge\t'The charge exceeds the declared pricing'
timeout\t'The tool timed out but the agent was charged'
quality\t'The output does not match the tool\'s description'
other\t'Anything else (a description is required)'"
complete -c mcpbill -n "__fish_mcpbill_using_subcommand dispute; and __fish_seen_subcommand_from list" -l log-dir -d 'Log directory holding disputes.jsonl, events and receipts (default: MCPBILL_LOG_DIR, else the platform data directory)' -r -f -a "(__fish_complete_directories)"
complete -c mcpbill -n "__fish_mcpbill_using_subcommand dispute; and __fish_seen_subcommand_from list" -l color -d 'When to use colour: auto honours NO_COLOR and only colours terminals' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c mcpbill -n "__fish_mcpbill_using_subcommand dispute; and __fish_seen_subcommand_from list" -l json -d 'Print machine-readable JSON on stdout (no tables, colour or prompts)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand dispute; and __fish_seen_subcommand_from list" -s q -l quiet -d 'Print only errors on stderr'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand dispute; and __fish_seen_subcommand_from list" -s v -l verbose -d 'Print more detail on stderr'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand dispute; and __fish_seen_subcommand_from list" -l no-input -d 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand dispute; and __fish_seen_subcommand_from list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand dispute; and __fish_seen_subcommand_from show" -l log-dir -d 'Log directory holding disputes.jsonl, events and receipts (default: MCPBILL_LOG_DIR, else the platform data directory)' -r -f -a "(__fish_complete_directories)"
complete -c mcpbill -n "__fish_mcpbill_using_subcommand dispute; and __fish_seen_subcommand_from show" -l color -d 'When to use colour: auto honours NO_COLOR and only colours terminals' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c mcpbill -n "__fish_mcpbill_using_subcommand dispute; and __fish_seen_subcommand_from show" -l json -d 'Print machine-readable JSON on stdout (no tables, colour or prompts)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand dispute; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print only errors on stderr'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand dispute; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Print more detail on stderr'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand dispute; and __fish_seen_subcommand_from show" -l no-input -d 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand dispute; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand dispute; and __fish_seen_subcommand_from update" -l status -d 'The new status (not filed: that is where every dispute starts)' -r -f -a "under_review\t'Being investigated'
resolved_refund\t'Full refund issued to the agent'
resolved_denied\t'Rejected; the charge stands'
resolved_credit\t'Partial credit or another resolution'"
complete -c mcpbill -n "__fish_mcpbill_using_subcommand dispute; and __fish_seen_subcommand_from update" -l note -d 'Why (kept in the history)' -r
complete -c mcpbill -n "__fish_mcpbill_using_subcommand dispute; and __fish_seen_subcommand_from update" -l credit -d 'Credit granted, with --status resolved_credit (\'$0.02\', \'0.02\' or \'20000microcents\')' -r
complete -c mcpbill -n "__fish_mcpbill_using_subcommand dispute; and __fish_seen_subcommand_from update" -l log-dir -d 'Log directory holding disputes.jsonl, events and receipts (default: MCPBILL_LOG_DIR, else the platform data directory)' -r -f -a "(__fish_complete_directories)"
complete -c mcpbill -n "__fish_mcpbill_using_subcommand dispute; and __fish_seen_subcommand_from update" -l color -d 'When to use colour: auto honours NO_COLOR and only colours terminals' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c mcpbill -n "__fish_mcpbill_using_subcommand dispute; and __fish_seen_subcommand_from update" -l json -d 'Print machine-readable JSON on stdout (no tables, colour or prompts)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand dispute; and __fish_seen_subcommand_from update" -s q -l quiet -d 'Print only errors on stderr'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand dispute; and __fish_seen_subcommand_from update" -s v -l verbose -d 'Print more detail on stderr'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand dispute; and __fish_seen_subcommand_from update" -l no-input -d 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand dispute; and __fish_seen_subcommand_from update" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand dispute; and __fish_seen_subcommand_from submit" -l to -d 'The provider\'s base URL (its disputes endpoint is found through its agents.json)' -r -f
complete -c mcpbill -n "__fish_mcpbill_using_subcommand dispute; and __fish_seen_subcommand_from submit" -l api-key-file -d 'File holding the API key sent as \'Authorization: Bearer\'' -r -F
complete -c mcpbill -n "__fish_mcpbill_using_subcommand dispute; and __fish_seen_subcommand_from submit" -l timeout -d 'Time each request may take, e.g. 10s or 500ms (a bare number is seconds)' -r
complete -c mcpbill -n "__fish_mcpbill_using_subcommand dispute; and __fish_seen_subcommand_from submit" -l ca-cert -d 'Trust this extra CA certificate (PEM), e.g. a private CA' -r -F
complete -c mcpbill -n "__fish_mcpbill_using_subcommand dispute; and __fish_seen_subcommand_from submit" -l log-dir -d 'Log directory holding disputes.jsonl, events and receipts (default: MCPBILL_LOG_DIR, else the platform data directory)' -r -f -a "(__fish_complete_directories)"
complete -c mcpbill -n "__fish_mcpbill_using_subcommand dispute; and __fish_seen_subcommand_from submit" -l color -d 'When to use colour: auto honours NO_COLOR and only colours terminals' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c mcpbill -n "__fish_mcpbill_using_subcommand dispute; and __fish_seen_subcommand_from submit" -l allow-http -d 'Allow a plain http:// provider URL'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand dispute; and __fish_seen_subcommand_from submit" -l json -d 'Print machine-readable JSON on stdout (no tables, colour or prompts)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand dispute; and __fish_seen_subcommand_from submit" -s q -l quiet -d 'Print only errors on stderr'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand dispute; and __fish_seen_subcommand_from submit" -s v -l verbose -d 'Print more detail on stderr'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand dispute; and __fish_seen_subcommand_from submit" -l no-input -d 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand dispute; and __fish_seen_subcommand_from submit" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand dispute; and __fish_seen_subcommand_from help" -f -a "file" -d 'Contest the charge of a receipt; evidence is collected automatically'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand dispute; and __fish_seen_subcommand_from help" -f -a "list" -d 'List disputes (current status) with filters'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand dispute; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show one dispute, its evidence and its history'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand dispute; and __fish_seen_subcommand_from help" -f -a "update" -d 'Move a dispute along filed -> under_review -> resolved_refund|resolved_denied|resolved_credit'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand dispute; and __fish_seen_subcommand_from help" -f -a "submit" -d 'Send a dispute filed here to its provider (again), as \'dispute file --submit\' does'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand dispute; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand trust" -l log-dir -d 'Log directory (default: MCPBILL_LOG_DIR, else the platform data directory); also where disputes.jsonl is read' -r -f -a "(__fish_complete_directories)"
complete -c mcpbill -n "__fish_mcpbill_using_subcommand trust" -l disputes -d 'Disputes log (default: disputes.jsonl in the log directory, if it exists)' -r -F
complete -c mcpbill -n "__fish_mcpbill_using_subcommand trust" -l verifications -d 'Verification records (JSON Lines written by verify-* --record); repeatable' -r -F
complete -c mcpbill -n "__fish_mcpbill_using_subcommand trust" -l pricing -d 'Pricing files giving providers\' categories (for relative latency); repeatable' -r -F
complete -c mcpbill -n "__fish_mcpbill_using_subcommand trust" -l as-of -d 'End of the window: an RFC 3339 time or a date (its end, UTC). Default: now' -r
complete -c mcpbill -n "__fish_mcpbill_using_subcommand trust" -l window -d 'Length of the window before --as-of' -r
complete -c mcpbill -n "__fish_mcpbill_using_subcommand trust" -l provider -d 'Only show these providers (repeatable)' -r
complete -c mcpbill -n "__fish_mcpbill_using_subcommand trust" -l category -d 'Only show providers in this category' -r
complete -c mcpbill -n "__fish_mcpbill_using_subcommand trust" -l min-calls -d 'Fewer calls than this in the window is insufficient data' -r
complete -c mcpbill -n "__fish_mcpbill_using_subcommand trust" -l min-score -d 'Exit 1 if any shown provider scores below N or has no events in the window, or none is shown (0 to 100, for CI)' -r
complete -c mcpbill -n "__fish_mcpbill_using_subcommand trust" -l color -d 'When to use colour: auto honours NO_COLOR and only colours terminals' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c mcpbill -n "__fish_mcpbill_using_subcommand trust" -l json -d 'Print machine-readable JSON on stdout (no tables, colour or prompts)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand trust" -s q -l quiet -d 'Print only errors on stderr'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand trust" -s v -l verbose -d 'Print more detail on stderr'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand trust" -l no-input -d 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand trust" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand report" -l by -d 'What to group by' -r -f -a "tool\t'Per tool (tool_id, else tool_name)'
agent\t'Per agent'
provider\t'Per provider'
session\t'Per session of the shim (metadata.session_id)'
day\t'Per UTC day'"
complete -c mcpbill -n "__fish_mcpbill_using_subcommand report" -l since -d 'Only events at or after this time (RFC 3339, or a date: its start, UTC)' -r
complete -c mcpbill -n "__fish_mcpbill_using_subcommand report" -l until -d 'Only events before this time (RFC 3339, or a date: the whole day is included)' -r
complete -c mcpbill -n "__fish_mcpbill_using_subcommand report" -l month -d 'Only events in this UTC month (YYYY-MM); combines with --since/--until' -r
complete -c mcpbill -n "__fish_mcpbill_using_subcommand report" -l log-dir -d 'Log directory (default: MCPBILL_LOG_DIR, else the platform data directory); also where feedback.jsonl is read' -r -f -a "(__fish_complete_directories)"
complete -c mcpbill -n "__fish_mcpbill_using_subcommand report" -l feedback -d 'Feedback log (default: feedback.jsonl in the log directory, if it exists)' -r -F
complete -c mcpbill -n "__fish_mcpbill_using_subcommand report" -l budget -d 'Monthly budget per agent (\'$50\', \'50\' or microcents), to show budget use with --by agent (events of one month)' -r
complete -c mcpbill -n "__fish_mcpbill_using_subcommand report" -l html -d 'Write one self-contained HTML page (inline SVG charts) to FILE (\'-\': stdout)' -r -F
complete -c mcpbill -n "__fish_mcpbill_using_subcommand report" -l color -d 'When to use colour: auto honours NO_COLOR and only colours terminals' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c mcpbill -n "__fish_mcpbill_using_subcommand report" -l csv -d 'Print CSV (a header, then one row per group) instead of a table'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand report" -l json -d 'Print machine-readable JSON on stdout (no tables, colour or prompts)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand report" -s q -l quiet -d 'Print only errors on stderr'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand report" -s v -l verbose -d 'Print more detail on stderr'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand report" -l no-input -d 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand report" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand feedback" -l agent-id -d 'Who gives the feedback (default: the agent of the call, when found in the log)' -r
complete -c mcpbill -n "__fish_mcpbill_using_subcommand feedback" -l log-dir -d 'Log directory (default: MCPBILL_LOG_DIR, else the platform data directory)' -r -f -a "(__fish_complete_directories)"
complete -c mcpbill -n "__fish_mcpbill_using_subcommand feedback" -l color -d 'When to use colour: auto honours NO_COLOR and only colours terminals' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c mcpbill -n "__fish_mcpbill_using_subcommand feedback" -l discarded -d 'The agent or user discarded the call\'s result'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand feedback" -l kept -d 'The result was used (records the opposite of --discarded)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand feedback" -l json -d 'Print machine-readable JSON on stdout (no tables, colour or prompts)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand feedback" -s q -l quiet -d 'Print only errors on stderr'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand feedback" -s v -l verbose -d 'Print more detail on stderr'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand feedback" -l no-input -d 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand feedback" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand export" -l format -d 'Output format' -r -f -a "openmeter\t'OpenMeter CloudEvents (JSON Lines)'
stripe\t'Stripe billing meter events (JSON Lines)'
csv\t'CSV with a header'"
complete -c mcpbill -n "__fish_mcpbill_using_subcommand export" -l since -d 'Only events at or after this time (RFC 3339, or a date: its start, UTC)' -r
complete -c mcpbill -n "__fish_mcpbill_using_subcommand export" -l until -d 'Only events before this time (RFC 3339, or a date: the whole day is included)' -r
complete -c mcpbill -n "__fish_mcpbill_using_subcommand export" -l month -d 'Only events in this UTC month (YYYY-MM); combines with --since/--until' -r
complete -c mcpbill -n "__fish_mcpbill_using_subcommand export" -l log-dir -d 'Log directory (default: MCPBILL_LOG_DIR, else the platform data directory)' -r -f -a "(__fish_complete_directories)"
complete -c mcpbill -n "__fish_mcpbill_using_subcommand export" -l out -d 'Write to FILE instead of stdout' -r -F
complete -c mcpbill -n "__fish_mcpbill_using_subcommand export" -l source -d 'CloudEvents \'source\' (openmeter)' -r
complete -c mcpbill -n "__fish_mcpbill_using_subcommand export" -l event-type -d 'CloudEvents \'type\' (openmeter)' -r
complete -c mcpbill -n "__fish_mcpbill_using_subcommand export" -l event-name -d 'Stripe meter event name (stripe)' -r
complete -c mcpbill -n "__fish_mcpbill_using_subcommand export" -l stripe-value -d 'What the Stripe meter counts: the cost in microcents or one per call (stripe)' -r -f -a "cost\t'cost_microcents of the call'
calls\t'1 per charged call (a cost above zero), 0 otherwise'"
complete -c mcpbill -n "__fish_mcpbill_using_subcommand export" -l customer-map -d 'JSON object mapping agent ids to Stripe customer ids (stripe; without a map the agent id is sent, and with one an agent missing from it stops the export)' -r -F
complete -c mcpbill -n "__fish_mcpbill_using_subcommand export" -l color -d 'When to use colour: auto honours NO_COLOR and only colours terminals' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c mcpbill -n "__fish_mcpbill_using_subcommand export" -l json -d 'Print machine-readable JSON on stdout (no tables, colour or prompts)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand export" -s q -l quiet -d 'Print only errors on stderr'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand export" -s v -l verbose -d 'Print more detail on stderr'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand export" -l no-input -d 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand export" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand serve" -l log-dir -d 'The log directory whose receipts-*.jsonl files are served, which must exist (default: MCPBILL_LOG_DIR, else the platform data directory, created if needed)' -r -f -a "(__fish_complete_directories)"
complete -c mcpbill -n "__fish_mcpbill_using_subcommand serve" -l key-file -d 'The HMAC key file receipts are verified with (default: MCPBILL_KEY_FILE, else MCPBILL_KEY)' -r -F
complete -c mcpbill -n "__fish_mcpbill_using_subcommand serve" -l pricing -d 'The pricing file (TOML) whose declarations GET /api/pricing publishes' -r -F
complete -c mcpbill -n "__fish_mcpbill_using_subcommand serve" -l listen -d 'The address to listen on; port 0 picks a free port (the bound address is printed)' -r
complete -c mcpbill -n "__fish_mcpbill_using_subcommand serve" -l api-keys -d 'The API keys file (TOML `[[keys]]` with `sha256`, `id`, `role`) that write endpoints check bearer keys against; without it, write endpoints answer 401' -r -F
complete -c mcpbill -n "__fish_mcpbill_using_subcommand serve" -l base-url -d 'The public base URL of this server, used for absolute URLs in agents.json' -r -f
complete -c mcpbill -n "__fish_mcpbill_using_subcommand serve" -l request-timeout -d 'Time a request may take before it is answered 408, e.g. 10s or 500ms (a bare number is seconds)' -r
complete -c mcpbill -n "__fish_mcpbill_using_subcommand serve" -l verifications -d 'Verification records (JSON Lines from verify-* --record) for the trust endpoint' -r -F
complete -c mcpbill -n "__fish_mcpbill_using_subcommand serve" -l hash-key -d 'Read an API key on stdin and print the line to add to the --api-keys file, then exit' -r
complete -c mcpbill -n "__fish_mcpbill_using_subcommand serve" -l role -d 'The role of the key given to --hash-key' -r -f -a "agent\t'A consumer agent'
provider\t'A tool provider'"
complete -c mcpbill -n "__fish_mcpbill_using_subcommand serve" -l color -d 'When to use colour: auto honours NO_COLOR and only colours terminals' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c mcpbill -n "__fish_mcpbill_using_subcommand serve" -l json -d 'Print machine-readable JSON on stdout (no tables, colour or prompts)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand serve" -s q -l quiet -d 'Print only errors on stderr'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand serve" -s v -l verbose -d 'Print more detail on stderr'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand serve" -l no-input -d 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand serve" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand discovery; and not __fish_seen_subcommand_from init check help" -l color -d 'When to use colour: auto honours NO_COLOR and only colours terminals' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c mcpbill -n "__fish_mcpbill_using_subcommand discovery; and not __fish_seen_subcommand_from init check help" -l json -d 'Print machine-readable JSON on stdout (no tables, colour or prompts)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand discovery; and not __fish_seen_subcommand_from init check help" -s q -l quiet -d 'Print only errors on stderr'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand discovery; and not __fish_seen_subcommand_from init check help" -s v -l verbose -d 'Print more detail on stderr'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand discovery; and not __fish_seen_subcommand_from init check help" -l no-input -d 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand discovery; and not __fish_seen_subcommand_from init check help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand discovery; and not __fish_seen_subcommand_from init check help" -f -a "init" -d 'Write a spec section 7 agents.json document'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand discovery; and not __fish_seen_subcommand_from init check help" -f -a "check" -d 'Fetch an agents.json document and check its shape and that its endpoints answer'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand discovery; and not __fish_seen_subcommand_from init check help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand discovery; and __fish_seen_subcommand_from init" -l out -d 'Where to write the document (\'-\' for stdout)' -r -F
complete -c mcpbill -n "__fish_mcpbill_using_subcommand discovery; and __fish_seen_subcommand_from init" -l base-url -d 'The public base URL of the billing server' -r -f
complete -c mcpbill -n "__fish_mcpbill_using_subcommand discovery; and __fish_seen_subcommand_from init" -l pricing -d 'The pricing file, for the provider id' -r -F
complete -c mcpbill -n "__fish_mcpbill_using_subcommand discovery; and __fish_seen_subcommand_from init" -l color -d 'When to use colour: auto honours NO_COLOR and only colours terminals' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c mcpbill -n "__fish_mcpbill_using_subcommand discovery; and __fish_seen_subcommand_from init" -l force -d 'Overwrite an existing file'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand discovery; and __fish_seen_subcommand_from init" -l json -d 'Print machine-readable JSON on stdout (no tables, colour or prompts)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand discovery; and __fish_seen_subcommand_from init" -s q -l quiet -d 'Print only errors on stderr'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand discovery; and __fish_seen_subcommand_from init" -s v -l verbose -d 'Print more detail on stderr'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand discovery; and __fish_seen_subcommand_from init" -l no-input -d 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand discovery; and __fish_seen_subcommand_from init" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand discovery; and __fish_seen_subcommand_from check" -l timeout -d 'Time each request may take, e.g. 10s or 500ms (a bare number is seconds)' -r
complete -c mcpbill -n "__fish_mcpbill_using_subcommand discovery; and __fish_seen_subcommand_from check" -l ca-cert -d 'Trust this extra CA certificate (PEM), e.g. a private CA' -r -F
complete -c mcpbill -n "__fish_mcpbill_using_subcommand discovery; and __fish_seen_subcommand_from check" -l color -d 'When to use colour: auto honours NO_COLOR and only colours terminals' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c mcpbill -n "__fish_mcpbill_using_subcommand discovery; and __fish_seen_subcommand_from check" -l allow-http -d 'Allow plain http:// URLs (https only otherwise)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand discovery; and __fish_seen_subcommand_from check" -l json -d 'Print machine-readable JSON on stdout (no tables, colour or prompts)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand discovery; and __fish_seen_subcommand_from check" -s q -l quiet -d 'Print only errors on stderr'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand discovery; and __fish_seen_subcommand_from check" -s v -l verbose -d 'Print more detail on stderr'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand discovery; and __fish_seen_subcommand_from check" -l no-input -d 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand discovery; and __fish_seen_subcommand_from check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand discovery; and __fish_seen_subcommand_from help" -f -a "init" -d 'Write a spec section 7 agents.json document'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand discovery; and __fish_seen_subcommand_from help" -f -a "check" -d 'Fetch an agents.json document and check its shape and that its endpoints answer'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand discovery; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand check" -l receipt -d 'A receipt (JSON file) to ask the receipts endpoint about' -r -F
complete -c mcpbill -n "__fish_mcpbill_using_subcommand check" -l key-file -d 'The HMAC key to verify the receipt locally and compare with the provider\'s verdict' -r -F
complete -c mcpbill -n "__fish_mcpbill_using_subcommand check" -l timeout -d 'Time each request may take, e.g. 10s or 500ms (a bare number is seconds)' -r
complete -c mcpbill -n "__fish_mcpbill_using_subcommand check" -l ca-cert -d 'Trust this extra CA certificate (PEM), e.g. a private CA' -r -F
complete -c mcpbill -n "__fish_mcpbill_using_subcommand check" -l color -d 'When to use colour: auto honours NO_COLOR and only colours terminals' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c mcpbill -n "__fish_mcpbill_using_subcommand check" -l allow-http -d 'Allow plain http:// URLs (https only otherwise)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand check" -l json -d 'Print machine-readable JSON on stdout (no tables, colour or prompts)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand check" -s q -l quiet -d 'Print only errors on stderr'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand check" -s v -l verbose -d 'Print more detail on stderr'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand check" -l no-input -d 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand check" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand forward" -l log-dir -d 'The log directory whose events-*.jsonl files are shipped' -r -f -a "(__fish_complete_directories)"
complete -c mcpbill -n "__fish_mcpbill_using_subcommand forward" -l to -d 'The metering endpoint URL' -r -f
complete -c mcpbill -n "__fish_mcpbill_using_subcommand forward" -l format -d 'The wire format' -r -f -a "spec\t'A JSON array of spec section 1 meter events'
openmeter\t'A CloudEvents batch for OpenMeter\'s ingest endpoint'"
complete -c mcpbill -n "__fish_mcpbill_using_subcommand forward" -l batch -d 'Events per request' -r
complete -c mcpbill -n "__fish_mcpbill_using_subcommand forward" -l attempts -d 'Attempts per batch before giving up (with --once; --follow retries forever)' -r
complete -c mcpbill -n "__fish_mcpbill_using_subcommand forward" -l retry-delay -d 'Wait before the first retry, e.g. 500ms or 2s (a bare number is milliseconds); each further retry waits twice as long (at most 30 s)' -r
complete -c mcpbill -n "__fish_mcpbill_using_subcommand forward" -l poll -d 'Time between looks for new events with --follow, e.g. 1s (a bare number is milliseconds)' -r
complete -c mcpbill -n "__fish_mcpbill_using_subcommand forward" -l token -d 'A bearer token sent with each request (default: MCPBILL_FORWARD_TOKEN)' -r
complete -c mcpbill -n "__fish_mcpbill_using_subcommand forward" -l timeout -d 'Time each request may take, e.g. 10s or 500ms (a bare number is seconds)' -r
complete -c mcpbill -n "__fish_mcpbill_using_subcommand forward" -l ca-cert -d 'Trust this extra CA certificate (PEM), e.g. a private CA' -r -F
complete -c mcpbill -n "__fish_mcpbill_using_subcommand forward" -l color -d 'When to use colour: auto honours NO_COLOR and only colours terminals' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c mcpbill -n "__fish_mcpbill_using_subcommand forward" -l once -d 'Ship what is in the log now, then exit (the default)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand forward" -l follow -d 'Keep running and ship new events as they are written (stop with Ctrl-C)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand forward" -l allow-http -d 'Allow plain http:// URLs (https only otherwise)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand forward" -l json -d 'Print machine-readable JSON on stdout (no tables, colour or prompts)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand forward" -s q -l quiet -d 'Print only errors on stderr'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand forward" -s v -l verbose -d 'Print more detail on stderr'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand forward" -l no-input -d 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand forward" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand completions" -l color -d 'When to use colour: auto honours NO_COLOR and only colours terminals' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c mcpbill -n "__fish_mcpbill_using_subcommand completions" -l json -d 'Print machine-readable JSON on stdout (no tables, colour or prompts)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand completions" -s q -l quiet -d 'Print only errors on stderr'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand completions" -s v -l verbose -d 'Print more detail on stderr'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand completions" -l no-input -d 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand help; and not __fish_seen_subcommand_from demo wrap pricing receipt keygen verify-domain verify-email verify-code dispute trust report feedback export serve discovery check forward completions help" -f -a "demo" -d 'Try mcpbill: wrap a built-in example server, make a few dozen calls, show the bill'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand help; and not __fish_seen_subcommand_from demo wrap pricing receipt keygen verify-domain verify-email verify-code dispute trust report feedback export serve discovery check forward completions help" -f -a "wrap" -d 'Run an MCP server behind a transparent stdio shim that meters every tool call'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand help; and not __fish_seen_subcommand_from demo wrap pricing receipt keygen verify-domain verify-email verify-code dispute trust report feedback export serve discovery check forward completions help" -f -a "pricing" -d 'Declare tool prices in a TOML file: init, validate, show, quote'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand help; and not __fish_seen_subcommand_from demo wrap pricing receipt keygen verify-domain verify-email verify-code dispute trust report feedback export serve discovery check forward completions help" -f -a "receipt" -d 'Sign, verify and inspect receipts (HMAC-SHA256 over the canonical string)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand help; and not __fish_seen_subcommand_from demo wrap pricing receipt keygen verify-domain verify-email verify-code dispute trust report feedback export serve discovery check forward completions help" -f -a "keygen" -d 'Generate a random HMAC secret and write it to a new file (mode 0600)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand help; and not __fish_seen_subcommand_from demo wrap pricing receipt keygen verify-domain verify-email verify-code dispute trust report feedback export serve discovery check forward completions help" -f -a "verify-domain" -d 'Prove control of a domain with a DNS TXT challenge (mint it, then check it)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand help; and not __fish_seen_subcommand_from demo wrap pricing receipt keygen verify-domain verify-email verify-code dispute trust report feedback export serve discovery check forward completions help" -f -a "verify-email" -d 'Check an email address\'s syntax and that its domain accepts mail (MX, or A/AAAA)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand help; and not __fish_seen_subcommand_from demo wrap pricing receipt keygen verify-domain verify-email verify-code dispute trust report feedback export serve discovery check forward completions help" -f -a "verify-code" -d 'Check that a repository (local checkout or URL) names the provider id'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand help; and not __fish_seen_subcommand_from demo wrap pricing receipt keygen verify-domain verify-email verify-code dispute trust report feedback export serve discovery check forward completions help" -f -a "dispute" -d 'File, list, show and resolve disputes over receipts'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand help; and not __fish_seen_subcommand_from demo wrap pricing receipt keygen verify-domain verify-email verify-code dispute trust report feedback export serve discovery check forward completions help" -f -a "trust" -d 'Score providers (0-100) from event logs, disputes and verification records'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand help; and not __fish_seen_subcommand_from demo wrap pricing receipt keygen verify-domain verify-email verify-code dispute trust report feedback export serve discovery check forward completions help" -f -a "report" -d 'Usage analytics per tool, agent, provider, session or day (table, JSON, CSV, HTML)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand help; and not __fish_seen_subcommand_from demo wrap pricing receipt keygen verify-domain verify-email verify-code dispute trust report feedback export serve discovery check forward completions help" -f -a "feedback" -d 'Record that a call\'s result was discarded (or kept); never changes charges'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand help; and not __fish_seen_subcommand_from demo wrap pricing receipt keygen verify-domain verify-email verify-code dispute trust report feedback export serve discovery check forward completions help" -f -a "export" -d 'Export meter events for OpenMeter, Stripe or as CSV, keyed by event id'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand help; and not __fish_seen_subcommand_from demo wrap pricing receipt keygen verify-domain verify-email verify-code dispute trust report feedback export serve discovery check forward completions help" -f -a "serve" -d 'Serve receipts verification, pricing, discovery and feedback over HTTP'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand help; and not __fish_seen_subcommand_from demo wrap pricing receipt keygen verify-domain verify-email verify-code dispute trust report feedback export serve discovery check forward completions help" -f -a "discovery" -d 'Write or check a spec section 7 agents.json discovery document'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand help; and not __fish_seen_subcommand_from demo wrap pricing receipt keygen verify-domain verify-email verify-code dispute trust report feedback export serve discovery check forward completions help" -f -a "check" -d 'Check a provider\'s billing server against the spec, section by section'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand help; and not __fish_seen_subcommand_from demo wrap pricing receipt keygen verify-domain verify-email verify-code dispute trust report feedback export serve discovery check forward completions help" -f -a "forward" -d 'Ship meter events from the log to a remote metering endpoint'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand help; and not __fish_seen_subcommand_from demo wrap pricing receipt keygen verify-domain verify-email verify-code dispute trust report feedback export serve discovery check forward completions help" -f -a "completions" -d 'Print a shell completion script'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand help; and not __fish_seen_subcommand_from demo wrap pricing receipt keygen verify-domain verify-email verify-code dispute trust report feedback export serve discovery check forward completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand help; and __fish_seen_subcommand_from pricing" -f -a "init" -d 'Write a commented pricing file (a wizard on a terminal, flags otherwise)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand help; and __fish_seen_subcommand_from pricing" -f -a "validate" -d 'Check a pricing file and report every problem with its line and column'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand help; and __fish_seen_subcommand_from pricing" -f -a "show" -d 'Show a pricing file as a table, or as spec section 3 declarations with --json'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand help; and __fish_seen_subcommand_from pricing" -f -a "quote" -d 'Compute the exact cost of one call'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand help; and __fish_seen_subcommand_from receipt" -f -a "sign" -d 'Sign a receipt for a meter event (file, stdin or flags)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand help; and __fish_seen_subcommand_from receipt" -f -a "verify" -d 'Verify receipts offline: one JSON document or JSON Lines of any length'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand help; and __fish_seen_subcommand_from receipt" -f -a "inspect" -d 'Show a receipt, its canonical string and the signed fields'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand help; and __fish_seen_subcommand_from dispute" -f -a "file" -d 'Contest the charge of a receipt; evidence is collected automatically'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand help; and __fish_seen_subcommand_from dispute" -f -a "list" -d 'List disputes (current status) with filters'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand help; and __fish_seen_subcommand_from dispute" -f -a "show" -d 'Show one dispute, its evidence and its history'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand help; and __fish_seen_subcommand_from dispute" -f -a "update" -d 'Move a dispute along filed -> under_review -> resolved_refund|resolved_denied|resolved_credit'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand help; and __fish_seen_subcommand_from dispute" -f -a "submit" -d 'Send a dispute filed here to its provider (again), as \'dispute file --submit\' does'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand help; and __fish_seen_subcommand_from discovery" -f -a "init" -d 'Write a spec section 7 agents.json document'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand help; and __fish_seen_subcommand_from discovery" -f -a "check" -d 'Fetch an agents.json document and check its shape and that its endpoints answer'
