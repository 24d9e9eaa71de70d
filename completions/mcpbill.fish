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
complete -c mcpbill -n "__fish_mcpbill_needs_command" -f -a "receipt" -d 'Sign, verify and inspect receipts (HMAC-SHA256 over the canonical string)'
complete -c mcpbill -n "__fish_mcpbill_needs_command" -f -a "completions" -d 'Print a shell completion script'
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
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and not __fish_seen_subcommand_from sign verify inspect help" -l color -d 'When to use colour: auto honours NO_COLOR and only colours terminals' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and not __fish_seen_subcommand_from sign verify inspect help" -l json -d 'Print machine-readable JSON on stdout (no tables, colour or prompts)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and not __fish_seen_subcommand_from sign verify inspect help" -s q -l quiet -d 'Print only errors on stderr'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and not __fish_seen_subcommand_from sign verify inspect help" -s v -l verbose -d 'Print more detail on stderr'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and not __fish_seen_subcommand_from sign verify inspect help" -l no-input -d 'Never prompt; a missing value is an error naming its flag'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and not __fish_seen_subcommand_from sign verify inspect help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and not __fish_seen_subcommand_from sign verify inspect help" -s V -l version -d 'Print version'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and not __fish_seen_subcommand_from sign verify inspect help" -f -a "sign" -d 'Sign a receipt for a meter event (file, stdin or flags)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and not __fish_seen_subcommand_from sign verify inspect help" -f -a "verify" -d 'Verify receipts offline: one JSON document or JSON Lines of any length'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and not __fish_seen_subcommand_from sign verify inspect help" -f -a "inspect" -d 'Show a receipt, its canonical string and the signed fields'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and not __fish_seen_subcommand_from sign verify inspect help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and __fish_seen_subcommand_from sign" -l key-file -d 'File holding the HMAC secret (one trailing newline is stripped)' -r -F
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
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and __fish_seen_subcommand_from sign" -l verify-url-base -d 'Base URL the receipt id is appended to, giving verify_url' -r
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and __fish_seen_subcommand_from sign" -l color -d 'When to use colour: auto honours NO_COLOR and only colours terminals' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and __fish_seen_subcommand_from sign" -l json -d 'Print machine-readable JSON on stdout (no tables, colour or prompts)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and __fish_seen_subcommand_from sign" -s q -l quiet -d 'Print only errors on stderr'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and __fish_seen_subcommand_from sign" -s v -l verbose -d 'Print more detail on stderr'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and __fish_seen_subcommand_from sign" -l no-input -d 'Never prompt; a missing value is an error naming its flag'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and __fish_seen_subcommand_from sign" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and __fish_seen_subcommand_from sign" -s V -l version -d 'Print version'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and __fish_seen_subcommand_from verify" -l key-file -d 'File holding the HMAC secret (one trailing newline is stripped)' -r -F
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and __fish_seen_subcommand_from verify" -l keyring -d 'TOML file mapping provider ids to key files (`acme = "acme.key"`, relative to the keyring\'s directory), to verify several providers at once. Takes precedence over the key' -r -F
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and __fish_seen_subcommand_from verify" -l format -d 'Output format' -r -f -a "verdicts\t'A verdict line per receipt and a summary (JSON Lines with --json)'
spec\t'The spec\'s verification response, one per receipt'"
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and __fish_seen_subcommand_from verify" -l color -d 'When to use colour: auto honours NO_COLOR and only colours terminals' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and __fish_seen_subcommand_from verify" -l json -d 'Print machine-readable JSON on stdout (no tables, colour or prompts)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and __fish_seen_subcommand_from verify" -s q -l quiet -d 'Print only errors on stderr'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and __fish_seen_subcommand_from verify" -s v -l verbose -d 'Print more detail on stderr'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and __fish_seen_subcommand_from verify" -l no-input -d 'Never prompt; a missing value is an error naming its flag'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and __fish_seen_subcommand_from verify" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and __fish_seen_subcommand_from verify" -s V -l version -d 'Print version'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and __fish_seen_subcommand_from inspect" -l color -d 'When to use colour: auto honours NO_COLOR and only colours terminals' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and __fish_seen_subcommand_from inspect" -l json -d 'Print machine-readable JSON on stdout (no tables, colour or prompts)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and __fish_seen_subcommand_from inspect" -s q -l quiet -d 'Print only errors on stderr'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and __fish_seen_subcommand_from inspect" -s v -l verbose -d 'Print more detail on stderr'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and __fish_seen_subcommand_from inspect" -l no-input -d 'Never prompt; a missing value is an error naming its flag'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and __fish_seen_subcommand_from inspect" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and __fish_seen_subcommand_from inspect" -s V -l version -d 'Print version'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and __fish_seen_subcommand_from help" -f -a "sign" -d 'Sign a receipt for a meter event (file, stdin or flags)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and __fish_seen_subcommand_from help" -f -a "verify" -d 'Verify receipts offline: one JSON document or JSON Lines of any length'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and __fish_seen_subcommand_from help" -f -a "inspect" -d 'Show a receipt, its canonical string and the signed fields'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand receipt; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand completions" -l color -d 'When to use colour: auto honours NO_COLOR and only colours terminals' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c mcpbill -n "__fish_mcpbill_using_subcommand completions" -l json -d 'Print machine-readable JSON on stdout (no tables, colour or prompts)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand completions" -s q -l quiet -d 'Print only errors on stderr'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand completions" -s v -l verbose -d 'Print more detail on stderr'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand completions" -l no-input -d 'Never prompt; a missing value is an error naming its flag'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand completions" -s V -l version -d 'Print version'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand help; and not __fish_seen_subcommand_from keygen receipt completions help" -f -a "keygen" -d 'Generate a random HMAC secret and write it to a new file (mode 0600)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand help; and not __fish_seen_subcommand_from keygen receipt completions help" -f -a "receipt" -d 'Sign, verify and inspect receipts (HMAC-SHA256 over the canonical string)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand help; and not __fish_seen_subcommand_from keygen receipt completions help" -f -a "completions" -d 'Print a shell completion script'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand help; and not __fish_seen_subcommand_from keygen receipt completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand help; and __fish_seen_subcommand_from receipt" -f -a "sign" -d 'Sign a receipt for a meter event (file, stdin or flags)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand help; and __fish_seen_subcommand_from receipt" -f -a "verify" -d 'Verify receipts offline: one JSON document or JSON Lines of any length'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand help; and __fish_seen_subcommand_from receipt" -f -a "inspect" -d 'Show a receipt, its canonical string and the signed fields'
