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
complete -c mcpbill -n "__fish_mcpbill_using_subcommand help; and not __fish_seen_subcommand_from keygen completions demo example-server help" -f -a "keygen" -d 'Generate a random HMAC secret and write it to a new file (mode 0600)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand help; and not __fish_seen_subcommand_from keygen completions demo example-server help" -f -a "completions" -d 'Print a shell completion script'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand help; and not __fish_seen_subcommand_from keygen completions demo example-server help" -f -a "demo" -d 'Try mcpbill: wrap a built-in example server, make a few dozen calls, show the bill'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand help; and not __fish_seen_subcommand_from keygen completions demo example-server help" -f -a "example-server" -d 'A small stdio MCP server with priced example tools (used by `demo`, tests, benchmarks)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand help; and not __fish_seen_subcommand_from keygen completions demo example-server help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
