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
complete -c mcpbill -n "__fish_mcpbill_needs_command" -f -a "pricing" -d 'Declare tool prices in a TOML file: init, validate, show, quote'
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
complete -c mcpbill -n "__fish_mcpbill_using_subcommand pricing; and not __fish_seen_subcommand_from init validate show quote help" -l color -d 'When to use colour: auto honours NO_COLOR and only colours terminals' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c mcpbill -n "__fish_mcpbill_using_subcommand pricing; and not __fish_seen_subcommand_from init validate show quote help" -l json -d 'Print machine-readable JSON on stdout (no tables, colour or prompts)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand pricing; and not __fish_seen_subcommand_from init validate show quote help" -s q -l quiet -d 'Print only errors on stderr'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand pricing; and not __fish_seen_subcommand_from init validate show quote help" -s v -l verbose -d 'Print more detail on stderr'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand pricing; and not __fish_seen_subcommand_from init validate show quote help" -l no-input -d 'Never prompt; a missing value is an error naming its flag'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand pricing; and not __fish_seen_subcommand_from init validate show quote help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand pricing; and not __fish_seen_subcommand_from init validate show quote help" -s V -l version -d 'Print version'
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
complete -c mcpbill -n "__fish_mcpbill_using_subcommand pricing; and __fish_seen_subcommand_from init" -l no-input -d 'Never prompt; a missing value is an error naming its flag'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand pricing; and __fish_seen_subcommand_from init" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand pricing; and __fish_seen_subcommand_from init" -s V -l version -d 'Print version'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand pricing; and __fish_seen_subcommand_from validate" -l color -d 'When to use colour: auto honours NO_COLOR and only colours terminals' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c mcpbill -n "__fish_mcpbill_using_subcommand pricing; and __fish_seen_subcommand_from validate" -l json -d 'Print machine-readable JSON on stdout (no tables, colour or prompts)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand pricing; and __fish_seen_subcommand_from validate" -s q -l quiet -d 'Print only errors on stderr'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand pricing; and __fish_seen_subcommand_from validate" -s v -l verbose -d 'Print more detail on stderr'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand pricing; and __fish_seen_subcommand_from validate" -l no-input -d 'Never prompt; a missing value is an error naming its flag'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand pricing; and __fish_seen_subcommand_from validate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand pricing; and __fish_seen_subcommand_from validate" -s V -l version -d 'Print version'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand pricing; and __fish_seen_subcommand_from show" -l color -d 'When to use colour: auto honours NO_COLOR and only colours terminals' -r -f -a "auto\t'Colour when the stream is a terminal and `NO_COLOR` is unset'
always\t'Always colour'
never\t'Never colour'"
complete -c mcpbill -n "__fish_mcpbill_using_subcommand pricing; and __fish_seen_subcommand_from show" -l json -d 'Print machine-readable JSON on stdout (no tables, colour or prompts)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand pricing; and __fish_seen_subcommand_from show" -s q -l quiet -d 'Print only errors on stderr'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand pricing; and __fish_seen_subcommand_from show" -s v -l verbose -d 'Print more detail on stderr'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand pricing; and __fish_seen_subcommand_from show" -l no-input -d 'Never prompt; a missing value is an error naming its flag'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand pricing; and __fish_seen_subcommand_from show" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand pricing; and __fish_seen_subcommand_from show" -s V -l version -d 'Print version'
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
complete -c mcpbill -n "__fish_mcpbill_using_subcommand pricing; and __fish_seen_subcommand_from quote" -l no-input -d 'Never prompt; a missing value is an error naming its flag'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand pricing; and __fish_seen_subcommand_from quote" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand pricing; and __fish_seen_subcommand_from quote" -s V -l version -d 'Print version'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand pricing; and __fish_seen_subcommand_from help" -f -a "init" -d 'Write a commented pricing file (a wizard on a terminal, flags otherwise)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand pricing; and __fish_seen_subcommand_from help" -f -a "validate" -d 'Check a pricing file and report every problem with its line and column'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand pricing; and __fish_seen_subcommand_from help" -f -a "show" -d 'Show a pricing file as a table, or as spec section 3 declarations with --json'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand pricing; and __fish_seen_subcommand_from help" -f -a "quote" -d 'Compute the exact cost of one call'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand pricing; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand help; and not __fish_seen_subcommand_from keygen completions pricing help" -f -a "keygen" -d 'Generate a random HMAC secret and write it to a new file (mode 0600)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand help; and not __fish_seen_subcommand_from keygen completions pricing help" -f -a "completions" -d 'Print a shell completion script'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand help; and not __fish_seen_subcommand_from keygen completions pricing help" -f -a "pricing" -d 'Declare tool prices in a TOML file: init, validate, show, quote'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand help; and not __fish_seen_subcommand_from keygen completions pricing help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand help; and __fish_seen_subcommand_from pricing" -f -a "init" -d 'Write a commented pricing file (a wizard on a terminal, flags otherwise)'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand help; and __fish_seen_subcommand_from pricing" -f -a "validate" -d 'Check a pricing file and report every problem with its line and column'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand help; and __fish_seen_subcommand_from pricing" -f -a "show" -d 'Show a pricing file as a table, or as spec section 3 declarations with --json'
complete -c mcpbill -n "__fish_mcpbill_using_subcommand help; and __fish_seen_subcommand_from pricing" -f -a "quote" -d 'Compute the exact cost of one call'
