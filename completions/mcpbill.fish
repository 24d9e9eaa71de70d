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
complete -c mcpbill -n "__fish_mcpbill_needs_command" -l no-input -d 'Never prompt; a missing value is an error naming its flag'
complete -c mcpbill -n "__fish_mcpbill_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpbill -n "__fish_mcpbill_needs_command" -s V -l version -d 'Print version'
complete -c mcpbill -n "__fish_mcpbill_needs_command" -f -a "keygen" -d 'Generate a random HMAC secret and write it to a new file (mode 0600)'
complete -c mcpbill -n "__fish_mcpbill_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c mcpbill -n "__fish_mcpbill_needs_command" -f -a "demo" -d 'Try mcpbill: wrap a built-in example server, make a few dozen calls, show the bill'
complete -c mcpbill -n "__fish_mcpbill_needs_command" -f -a "example-server" -d 'A small stdio MCP server with priced example tools (used by `demo`, tests, benchmarks)'
complete -c mcpbill -n "__fish_mcpbill_needs_command" -f -a "wrap" -d 'Run an MCP server behind a transparent stdio shim that meters every tool call'
complete -c mcpbill -n "__fish_mcpbill_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand keygen" -s o -l out -d 'Where to write the secret (64 hex characters and a newline, mode 0600)' -r -F
complete -c mcpbill -n "__fish_mcpbill_using_subcommand keygen" -l color -d 'When to use colour: auto honours NO_COLOR and only colours terminals' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c mcpbill -n "__fish_mcpbill_using_subcommand keygen" -l force -d 'Overwrite the file if it exists'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand keygen" -l json -d 'Print machine-readable JSON on stdout (no tables, colour or prompts)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand keygen" -s q -l quiet -d 'Print only errors on stderr'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand keygen" -s v -l verbose -d 'Print more detail on stderr'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand keygen" -l no-input -d 'Never prompt; a missing value is an error naming its flag'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand keygen" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand keygen" -s V -l version -d 'Print version'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand completions" -l color -d 'When to use colour: auto honours NO_COLOR and only colours terminals' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c mcpbill -n "__fish_mcpbill_using_subcommand completions" -l json -d 'Print machine-readable JSON on stdout (no tables, colour or prompts)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand completions" -s q -l quiet -d 'Print only errors on stderr'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand completions" -s v -l verbose -d 'Print more detail on stderr'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand completions" -l no-input -d 'Never prompt; a missing value is an error naming its flag'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand completions" -s V -l version -d 'Print version'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand demo" -l log-dir -d 'Write the demo\'s pricing file, key, events and receipts here (kept) instead of in a temporary directory' -r -F
complete -c mcpbill -n "__fish_mcpbill_using_subcommand demo" -l color -d 'When to use colour: auto honours NO_COLOR and only colours terminals' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c mcpbill -n "__fish_mcpbill_using_subcommand demo" -l keep -d 'Keep the temporary directory and print its path'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand demo" -l json -d 'Print machine-readable JSON on stdout (no tables, colour or prompts)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand demo" -s q -l quiet -d 'Print only errors on stderr'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand demo" -s v -l verbose -d 'Print more detail on stderr'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand demo" -l no-input -d 'Never prompt; a missing value is an error naming its flag'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand demo" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand demo" -s V -l version -d 'Print version'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand example-server" -l color -d 'When to use colour: auto honours NO_COLOR and only colours terminals' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c mcpbill -n "__fish_mcpbill_using_subcommand example-server" -l json -d 'Print machine-readable JSON on stdout (no tables, colour or prompts)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand example-server" -s q -l quiet -d 'Print only errors on stderr'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand example-server" -s v -l verbose -d 'Print more detail on stderr'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand example-server" -l no-input -d 'Never prompt; a missing value is an error naming its flag'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand example-server" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand example-server" -s V -l version -d 'Print version'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand wrap" -l pricing -d 'Pricing file (TOML) with the provider id and per-tool prices; without it every tool is free' -r -F
complete -c mcpbill -n "__fish_mcpbill_using_subcommand wrap" -l provider-id -d 'Provider id written in events and receipts (overrides the pricing file\'s)' -r
complete -c mcpbill -n "__fish_mcpbill_using_subcommand wrap" -l agent-id -d 'Agent id of the consumer (default: the client\'s clientInfo.name, else "anonymous")' -r
complete -c mcpbill -n "__fish_mcpbill_using_subcommand wrap" -l log-dir -d 'Directory of the event log (default: the platform data directory)' -r -F
complete -c mcpbill -n "__fish_mcpbill_using_subcommand wrap" -l key-file -d 'File holding the HMAC secret that signs receipts (else MCPBILL_KEY; without a key, no receipts)' -r -F
complete -c mcpbill -n "__fish_mcpbill_using_subcommand wrap" -l verify-url-base -d 'Base URL for receipts\' verify_url (the receipt id is appended)' -r
complete -c mcpbill -n "__fish_mcpbill_using_subcommand wrap" -l budget -d 'Monthly budget per agent, e.g. \'$5\' or 5000000microcents; calls beyond it are refused' -r
complete -c mcpbill -n "__fish_mcpbill_using_subcommand wrap" -l rate-limit -d 'Calls allowed per agent and period, e.g. 60/min, 10/s, 1000/h; calls beyond it are refused' -r
complete -c mcpbill -n "__fish_mcpbill_using_subcommand wrap" -l timeout -d 'Answer a call with an error (status timeout) when the server takes longer, e.g. 30s or 5m' -r
complete -c mcpbill -n "__fish_mcpbill_using_subcommand wrap" -l grace -d 'Time the server gets to exit after the client closes stdin, before SIGTERM and SIGKILL' -r
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
complete -c mcpbill -n "__fish_mcpbill_using_subcommand wrap" -l no-request-meta -d 'Do not add mcpbill/agent_id and mcpbill/request_id to the forwarded request\'s _meta'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand wrap" -l no-receipt-meta -d 'Do not add mcpbill/receipt to the result\'s _meta'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand wrap" -l json -d 'Print machine-readable JSON on stdout (no tables, colour or prompts)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand wrap" -s q -l quiet -d 'Print only errors on stderr'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand wrap" -s v -l verbose -d 'Print more detail on stderr'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand wrap" -l no-input -d 'Never prompt; a missing value is an error naming its flag'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand wrap" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand wrap" -s V -l version -d 'Print version'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand help; and not __fish_seen_subcommand_from keygen completions demo example-server wrap help" -f -a "keygen" -d 'Generate a random HMAC secret and write it to a new file (mode 0600)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand help; and not __fish_seen_subcommand_from keygen completions demo example-server wrap help" -f -a "completions" -d 'Print a shell completion script'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand help; and not __fish_seen_subcommand_from keygen completions demo example-server wrap help" -f -a "demo" -d 'Try mcpbill: wrap a built-in example server, make a few dozen calls, show the bill'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand help; and not __fish_seen_subcommand_from keygen completions demo example-server wrap help" -f -a "example-server" -d 'A small stdio MCP server with priced example tools (used by `demo`, tests, benchmarks)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand help; and not __fish_seen_subcommand_from keygen completions demo example-server wrap help" -f -a "wrap" -d 'Run an MCP server behind a transparent stdio shim that meters every tool call'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand help; and not __fish_seen_subcommand_from keygen completions demo example-server wrap help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
