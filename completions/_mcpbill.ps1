
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'mcpbill' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'mcpbill'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'mcpbill' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto honours NO_COLOR and only colours terminals')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout (no tables, colour or prompts)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('demo', 'demo', [CompletionResultType]::ParameterValue, 'Try mcpbill: wrap a built-in example server, make a few dozen calls, show the bill')
            [CompletionResult]::new('wrap', 'wrap', [CompletionResultType]::ParameterValue, 'Run an MCP server behind a transparent stdio shim that meters every tool call')
            [CompletionResult]::new('pricing', 'pricing', [CompletionResultType]::ParameterValue, 'Declare tool prices in a TOML file: init, validate, show, quote')
            [CompletionResult]::new('receipt', 'receipt', [CompletionResultType]::ParameterValue, 'Sign, verify and inspect receipts (HMAC-SHA256 over the canonical string)')
            [CompletionResult]::new('keygen', 'keygen', [CompletionResultType]::ParameterValue, 'Generate a random HMAC secret and write it to a new file (mode 0600)')
            [CompletionResult]::new('verify-domain', 'verify-domain', [CompletionResultType]::ParameterValue, 'Prove control of a domain with a DNS TXT challenge (mint it, then check it)')
            [CompletionResult]::new('verify-email', 'verify-email', [CompletionResultType]::ParameterValue, 'Check an email address''s syntax and that its domain accepts mail (MX, or A/AAAA)')
            [CompletionResult]::new('verify-code', 'verify-code', [CompletionResultType]::ParameterValue, 'Check that a repository (local checkout or URL) names the provider id')
            [CompletionResult]::new('dispute', 'dispute', [CompletionResultType]::ParameterValue, 'File, list, show and resolve disputes over receipts')
            [CompletionResult]::new('trust', 'trust', [CompletionResultType]::ParameterValue, 'Score providers (0-100) from event logs, disputes and verification records')
            [CompletionResult]::new('report', 'report', [CompletionResultType]::ParameterValue, 'Usage analytics per tool, agent, provider, session or day (table, JSON, CSV, HTML)')
            [CompletionResult]::new('feedback', 'feedback', [CompletionResultType]::ParameterValue, 'Record that a call''s result was discarded (or kept); never changes charges')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Export meter events for OpenMeter, Stripe or as CSV, keyed by event id')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Serve receipts verification, pricing, discovery and feedback over HTTP')
            [CompletionResult]::new('discovery', 'discovery', [CompletionResultType]::ParameterValue, 'Write or check a spec section 7 agents.json discovery document')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Check a provider''s billing server against the spec, section by section')
            [CompletionResult]::new('forward', 'forward', [CompletionResultType]::ParameterValue, 'Ship meter events from the log to a remote metering endpoint')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mcpbill;demo' {
            [CompletionResult]::new('--log-dir', '--log-dir', [CompletionResultType]::ParameterName, 'Write the demo''s pricing file, key, events and receipts here (kept) instead of in a temporary directory')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto honours NO_COLOR and only colours terminals')
            [CompletionResult]::new('--keep', '--keep', [CompletionResultType]::ParameterName, 'Keep the temporary directory and print its path')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout (no tables, colour or prompts)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'mcpbill;wrap' {
            [CompletionResult]::new('--pricing', '--pricing', [CompletionResultType]::ParameterName, 'Pricing file (TOML) with the provider id and per-tool prices; without it every tool is free')
            [CompletionResult]::new('--provider-id', '--provider-id', [CompletionResultType]::ParameterName, 'Provider id written in events and receipts (overrides the pricing file''s)')
            [CompletionResult]::new('--agent-id', '--agent-id', [CompletionResultType]::ParameterName, 'Agent id of the consumer (default: the name in the client''s clientInfo, else "anonymous")')
            [CompletionResult]::new('--log-dir', '--log-dir', [CompletionResultType]::ParameterName, 'Directory of the event log (default: the platform data directory)')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'File holding the HMAC secret that signs receipts (else MCPBILL_KEY; without a key, no receipts)')
            [CompletionResult]::new('--verify-url-base', '--verify-url-base', [CompletionResultType]::ParameterName, 'Base URL for receipts'' verify_url (the receipt id is appended)')
            [CompletionResult]::new('--forward', '--forward', [CompletionResultType]::ParameterName, 'Ship meter events to this metering endpoint in the background (see `mcpbill forward`)')
            [CompletionResult]::new('--forward-format', '--forward-format', [CompletionResultType]::ParameterName, 'Wire format for --forward')
            [CompletionResult]::new('--budget', '--budget', [CompletionResultType]::ParameterName, 'Monthly budget per agent, e.g. ''$5'' or 5000000microcents; calls beyond it are refused')
            [CompletionResult]::new('--rate-limit', '--rate-limit', [CompletionResultType]::ParameterName, 'Calls allowed per agent and period, e.g. 60/min, 10/s, 1000/h; calls beyond it are refused')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Answer a call with an error (status timeout) when the server takes longer, e.g. 30s or 5m (a bare number is seconds)')
            [CompletionResult]::new('--grace', '--grace', [CompletionResultType]::ParameterName, 'Time the server gets to exit after the client closes stdin, before SIGTERM and SIGKILL (at most 1s between a SIGTERM, SIGHUP or SIGQUIT sent to mcpbill and SIGKILL)')
            [CompletionResult]::new('--max-line-bytes', '--max-line-bytes', [CompletionResultType]::ParameterName, 'Longest JSON-RPC line relayed, in bytes; a longer line is dropped with an error')
            [CompletionResult]::new('--record-params', '--record-params', [CompletionResultType]::ParameterName, 'How call arguments are recorded in events')
            [CompletionResult]::new('--record-results', '--record-results', [CompletionResultType]::ParameterName, 'How call results are recorded in events')
            [CompletionResult]::new('--redact', '--redact', [CompletionResultType]::ParameterName, 'Another key to redact from recorded arguments and results (repeatable)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto honours NO_COLOR and only colours terminals')
            [CompletionResult]::new('--forward-allow-http', '--forward-allow-http', [CompletionResultType]::ParameterName, 'Allow a plain http:// --forward URL')
            [CompletionResult]::new('--no-request-meta', '--no-request-meta', [CompletionResultType]::ParameterName, 'Do not add mcpbill/agent_id and mcpbill/request_id to the forwarded request''s _meta')
            [CompletionResult]::new('--no-receipt-meta', '--no-receipt-meta', [CompletionResultType]::ParameterName, 'Do not add mcpbill/receipt to the result''s _meta')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout (no tables, colour or prompts)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'mcpbill;pricing' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto honours NO_COLOR and only colours terminals')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout (no tables, colour or prompts)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Write a commented pricing file (a wizard on a terminal, flags otherwise)')
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Check a pricing file and report every problem with its line and column')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a pricing file as a table, or as spec section 3 declarations with --json')
            [CompletionResult]::new('quote', 'quote', [CompletionResultType]::ParameterValue, 'Compute the exact cost of one call')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mcpbill;pricing;init' {
            [CompletionResult]::new('--provider-id', '--provider-id', [CompletionResultType]::ParameterName, 'The provider id (also the provider_id of every receipt)')
            [CompletionResult]::new('--currency', '--currency', [CompletionResultType]::ParameterName, 'ISO 4217 currency code')
            [CompletionResult]::new('--category', '--category', [CompletionResultType]::ParameterName, 'Provider category (used to compare latency in trust scores)')
            [CompletionResult]::new('--tool', '--tool', [CompletionResultType]::ParameterName, 'The tool id to declare (the MCP tool name)')
            [CompletionResult]::new('--model', '--model', [CompletionResultType]::ParameterName, 'Pricing model of the tool')
            [CompletionResult]::new('--price', '--price', [CompletionResultType]::ParameterName, 'Price per call (''$0.05'', ''0.05'' or ''50000microcents''), for per_call')
            [CompletionResult]::new('--input-token-price', '--input-token-price', [CompletionResultType]::ParameterName, 'Price per input token, for per_token')
            [CompletionResult]::new('--output-token-price', '--output-token-price', [CompletionResultType]::ParameterName, 'Price per output token, for per_token')
            [CompletionResult]::new('--free-calls', '--free-calls', [CompletionResultType]::ParameterName, 'Free calls per agent per month')
            [CompletionResult]::new('--free-tokens', '--free-tokens', [CompletionResultType]::ParameterName, 'Free tokens per agent per month (per_token only)')
            [CompletionResult]::new('--record-params', '--record-params', [CompletionResultType]::ParameterName, 'How much of the tool''s arguments the wrap shim records')
            [CompletionResult]::new('--record-results', '--record-results', [CompletionResultType]::ParameterName, 'How much of the tool''s results the wrap shim records')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto honours NO_COLOR and only colours terminals')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Overwrite the file if it exists')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout (no tables, colour or prompts)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'mcpbill;pricing;validate' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto honours NO_COLOR and only colours terminals')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout (no tables, colour or prompts)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'mcpbill;pricing;show' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto honours NO_COLOR and only colours terminals')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout (no tables, colour or prompts)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'mcpbill;pricing;quote' {
            [CompletionResult]::new('--tool', '--tool', [CompletionResultType]::ParameterName, 'The tool to quote')
            [CompletionResult]::new('--input-tokens', '--input-tokens', [CompletionResultType]::ParameterName, 'Input tokens of the call')
            [CompletionResult]::new('--output-tokens', '--output-tokens', [CompletionResultType]::ParameterName, 'Output tokens of the call')
            [CompletionResult]::new('--calls-this-month', '--calls-this-month', [CompletionResultType]::ParameterName, 'Successful calls the agent already made this month (for the free tier)')
            [CompletionResult]::new('--tokens-this-month', '--tokens-this-month', [CompletionResultType]::ParameterName, 'Tokens the agent already used this month (for the free tier)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto honours NO_COLOR and only colours terminals')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout (no tables, colour or prompts)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'mcpbill;pricing;help' {
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Write a commented pricing file (a wizard on a terminal, flags otherwise)')
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Check a pricing file and report every problem with its line and column')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a pricing file as a table, or as spec section 3 declarations with --json')
            [CompletionResult]::new('quote', 'quote', [CompletionResultType]::ParameterValue, 'Compute the exact cost of one call')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mcpbill;pricing;help;init' {
            break
        }
        'mcpbill;pricing;help;validate' {
            break
        }
        'mcpbill;pricing;help;show' {
            break
        }
        'mcpbill;pricing;help;quote' {
            break
        }
        'mcpbill;pricing;help;help' {
            break
        }
        'mcpbill;receipt' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto honours NO_COLOR and only colours terminals')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout (no tables, colour or prompts)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('sign', 'sign', [CompletionResultType]::ParameterValue, 'Sign a receipt for a meter event (file, stdin or flags)')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Verify receipts offline: one JSON document or JSON Lines of any length')
            [CompletionResult]::new('inspect', 'inspect', [CompletionResultType]::ParameterValue, 'Show a receipt, its canonical string and the signed fields')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mcpbill;receipt;sign' {
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'File holding the HMAC secret (one trailing newline is stripped). Without it, MCPBILL_KEY holds the secret itself')
            [CompletionResult]::new('--tool-id', '--tool-id', [CompletionResultType]::ParameterName, 'Tool id (overrides the event''s)')
            [CompletionResult]::new('--agent-id', '--agent-id', [CompletionResultType]::ParameterName, 'Agent id (overrides the event''s)')
            [CompletionResult]::new('--provider-id', '--provider-id', [CompletionResultType]::ParameterName, 'Provider id (overrides the event''s)')
            [CompletionResult]::new('--cost', '--cost', [CompletionResultType]::ParameterName, 'Cost: ''$0.05'', ''0.05'' (dollars) or ''50000microcents'' (overrides the event''s)')
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, 'Status: success, error, timeout or rate_limited (overrides the event''s)')
            [CompletionResult]::new('--timestamp', '--timestamp', [CompletionResultType]::ParameterName, 'RFC 3339 timestamp with zone (default: the event''s, else now)')
            [CompletionResult]::new('--duration-ms', '--duration-ms', [CompletionResultType]::ParameterName, 'Wall-clock duration in milliseconds (overrides the event''s)')
            [CompletionResult]::new('--receipt-id', '--receipt-id', [CompletionResultType]::ParameterName, 'Receipt id to use (default: a new random one)')
            [CompletionResult]::new('--input', '--input', [CompletionResultType]::ParameterName, 'JSON file with the call''s arguments: sets input_hash')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'JSON file with the call''s result: sets output_hash')
            [CompletionResult]::new('--verify-url-base', '--verify-url-base', [CompletionResultType]::ParameterName, 'Base URL the receipt id is appended to, giving verify_url')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto honours NO_COLOR and only colours terminals')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout (no tables, colour or prompts)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'mcpbill;receipt;verify' {
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'File holding the HMAC secret (one trailing newline is stripped). Without it, MCPBILL_KEY holds the secret itself')
            [CompletionResult]::new('--keyring', '--keyring', [CompletionResultType]::ParameterName, 'TOML file mapping provider ids to key files (`acme = "acme.key"`, relative to the keyring''s directory), to verify several providers at once. Takes precedence over --key-file and MCPBILL_KEY')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format (spec: offline only; --online prints its own report)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'With --online: time each request may take, e.g. 10s or 500ms (a bare number is seconds)')
            [CompletionResult]::new('--concurrency', '--concurrency', [CompletionResultType]::ParameterName, 'With --online: requests in flight at most')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'With --online: trust this extra CA certificate (PEM)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto honours NO_COLOR and only colours terminals')
            [CompletionResult]::new('--online', '--online', [CompletionResultType]::ParameterName, 'Also ask each receipt''s verify_url and report where the provider disagrees')
            [CompletionResult]::new('--allow-http', '--allow-http', [CompletionResultType]::ParameterName, 'With --online: allow plain http:// verify URLs (https only otherwise)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout (no tables, colour or prompts)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'mcpbill;receipt;inspect' {
            [CompletionResult]::new('--id', '--id', [CompletionResultType]::ParameterName, 'Show the receipt with this id, from a file of receipts (a receipts-*.jsonl log)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto honours NO_COLOR and only colours terminals')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout (no tables, colour or prompts)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'mcpbill;receipt;help' {
            [CompletionResult]::new('sign', 'sign', [CompletionResultType]::ParameterValue, 'Sign a receipt for a meter event (file, stdin or flags)')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Verify receipts offline: one JSON document or JSON Lines of any length')
            [CompletionResult]::new('inspect', 'inspect', [CompletionResultType]::ParameterValue, 'Show a receipt, its canonical string and the signed fields')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mcpbill;receipt;help;sign' {
            break
        }
        'mcpbill;receipt;help;verify' {
            break
        }
        'mcpbill;receipt;help;inspect' {
            break
        }
        'mcpbill;receipt;help;help' {
            break
        }
        'mcpbill;keygen' {
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'Where to write the secret (64 hex characters and a newline, mode 0600)')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Where to write the secret (64 hex characters and a newline, mode 0600)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto honours NO_COLOR and only colours terminals')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Overwrite the file if it exists')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout (no tables, colour or prompts)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'mcpbill;verify-domain' {
            [CompletionResult]::new('--provider-id', '--provider-id', [CompletionResultType]::ParameterName, 'The provider id; its first 8 characters go into the record value')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'The challenge token to look for (32 lowercase hex characters); default: the saved challenge')
            [CompletionResult]::new('--state', '--state', [CompletionResultType]::ParameterName, 'The file holding pending challenges (default: verify-challenges.json in $MCPBILL_STATE_DIR, else in the platform state directory)')
            [CompletionResult]::new('--wait', '--wait', [CompletionResultType]::ParameterName, 'Keep checking until the record is found or this much time has passed')
            [CompletionResult]::new('--interval', '--interval', [CompletionResultType]::ParameterName, 'Time between two checks with --wait')
            [CompletionResult]::new('--record', '--record', [CompletionResultType]::ParameterName, 'Append a verification record (JSON Lines) to this file when the domain is verified')
            [CompletionResult]::new('--nameserver', '--nameserver', [CompletionResultType]::ParameterName, 'Ask this name server instead of the system resolver (IP or IP:PORT, default port 53; repeatable). Point it at the zone''s authoritative server to check before caches catch up')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for one DNS answer before trying again or giving up (a bare number is seconds)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto honours NO_COLOR and only colours terminals')
            [CompletionResult]::new('--new-challenge', '--new-challenge', [CompletionResultType]::ParameterName, 'Mint a new challenge even if one is saved for this provider and domain, and print it')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout (no tables, colour or prompts)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'mcpbill;verify-email' {
            [CompletionResult]::new('--provider-id', '--provider-id', [CompletionResultType]::ParameterName, 'The provider id the address belongs to (required with --record)')
            [CompletionResult]::new('--record', '--record', [CompletionResultType]::ParameterName, 'Append a verification record (JSON Lines) to this file when the address is verified')
            [CompletionResult]::new('--nameserver', '--nameserver', [CompletionResultType]::ParameterName, 'Ask this name server instead of the system resolver (IP or IP:PORT, default port 53; repeatable). Point it at the zone''s authoritative server to check before caches catch up')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'How long to wait for one DNS answer before trying again or giving up (a bare number is seconds)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto honours NO_COLOR and only colours terminals')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout (no tables, colour or prompts)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'mcpbill;verify-code' {
            [CompletionResult]::new('--provider-id', '--provider-id', [CompletionResultType]::ParameterName, 'The provider id to look for')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time limit for each HTTP request (a bare number is seconds)')
            [CompletionResult]::new('--record', '--record', [CompletionResultType]::ParameterName, 'Append a verification record (JSON Lines) to this file when the code is verified')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto honours NO_COLOR and only colours terminals')
            [CompletionResult]::new('--allow-http', '--allow-http', [CompletionResultType]::ParameterName, 'Allow plain http:// URLs (and redirects to them)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout (no tables, colour or prompts)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'mcpbill;dispute' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto honours NO_COLOR and only colours terminals')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout (no tables, colour or prompts)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('file', 'file', [CompletionResultType]::ParameterValue, 'Contest the charge of a receipt; evidence is collected automatically')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List disputes (current status) with filters')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one dispute, its evidence and its history')
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Move a dispute along filed -> under_review -> resolved_refund|resolved_denied|resolved_credit')
            [CompletionResult]::new('submit', 'submit', [CompletionResultType]::ParameterValue, 'Send a dispute filed here to its provider (again), as ''dispute file --submit'' does')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mcpbill;dispute;file' {
            [CompletionResult]::new('--receipt', '--receipt', [CompletionResultType]::ParameterName, 'The receipt JSON file (''-'' for stdin)')
            [CompletionResult]::new('--receipt-id', '--receipt-id', [CompletionResultType]::ParameterName, 'A receipt id to look up in the log directory''s receipts-*.jsonl')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why the charge is contested')
            [CompletionResult]::new('--description', '--description', [CompletionResultType]::ParameterName, 'What went wrong (required for --reason other)')
            [CompletionResult]::new('--filed-by', '--filed-by', [CompletionResultType]::ParameterName, 'Who files (default: the receipt''s agent, or its provider with --filed-by-type provider)')
            [CompletionResult]::new('--filed-by-type', '--filed-by-type', [CompletionResultType]::ParameterName, 'Whether the filer is the agent or the provider')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'File holding the HMAC secret, to record the receipt''s signature verdict')
            [CompletionResult]::new('--pricing', '--pricing', [CompletionResultType]::ParameterName, 'Pricing files; the one for the receipt''s provider gives the expected cost (repeatable)')
            [CompletionResult]::new('--submit', '--submit', [CompletionResultType]::ParameterName, 'Also post the dispute to the provider at this base URL (found through its agents.json) and record the answer in dispute-submissions.jsonl')
            [CompletionResult]::new('--api-key-file', '--api-key-file', [CompletionResultType]::ParameterName, 'With --submit: file holding the API key sent as ''Authorization: Bearer''')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'With --submit: time each request may take, e.g. 10s or 500ms (a bare number is seconds)')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'With --submit: trust this extra CA certificate (PEM), e.g. a private CA')
            [CompletionResult]::new('--log-dir', '--log-dir', [CompletionResultType]::ParameterName, 'Log directory holding disputes.jsonl, events and receipts (default: MCPBILL_LOG_DIR, else the platform data directory)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto honours NO_COLOR and only colours terminals')
            [CompletionResult]::new('--allow-http', '--allow-http', [CompletionResultType]::ParameterName, 'With --submit: allow a plain http:// provider URL')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout (no tables, colour or prompts)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'mcpbill;dispute;list' {
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, 'Only disputes with this current status')
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'Only disputes against this provider')
            [CompletionResult]::new('--agent', '--agent', [CompletionResultType]::ParameterName, 'Only disputes on this agent''s receipts')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Only disputes with this reason')
            [CompletionResult]::new('--log-dir', '--log-dir', [CompletionResultType]::ParameterName, 'Log directory holding disputes.jsonl, events and receipts (default: MCPBILL_LOG_DIR, else the platform data directory)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto honours NO_COLOR and only colours terminals')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout (no tables, colour or prompts)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'mcpbill;dispute;show' {
            [CompletionResult]::new('--log-dir', '--log-dir', [CompletionResultType]::ParameterName, 'Log directory holding disputes.jsonl, events and receipts (default: MCPBILL_LOG_DIR, else the platform data directory)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto honours NO_COLOR and only colours terminals')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout (no tables, colour or prompts)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'mcpbill;dispute;update' {
            [CompletionResult]::new('--status', '--status', [CompletionResultType]::ParameterName, 'The new status (not filed: that is where every dispute starts)')
            [CompletionResult]::new('--note', '--note', [CompletionResultType]::ParameterName, 'Why (kept in the history)')
            [CompletionResult]::new('--credit', '--credit', [CompletionResultType]::ParameterName, 'Credit granted, with --status resolved_credit (''$0.02'', ''0.02'' or ''20000microcents'')')
            [CompletionResult]::new('--log-dir', '--log-dir', [CompletionResultType]::ParameterName, 'Log directory holding disputes.jsonl, events and receipts (default: MCPBILL_LOG_DIR, else the platform data directory)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto honours NO_COLOR and only colours terminals')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout (no tables, colour or prompts)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'mcpbill;dispute;submit' {
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'The provider''s base URL (its disputes endpoint is found through its agents.json)')
            [CompletionResult]::new('--api-key-file', '--api-key-file', [CompletionResultType]::ParameterName, 'File holding the API key sent as ''Authorization: Bearer''')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time each request may take, e.g. 10s or 500ms (a bare number is seconds)')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'Trust this extra CA certificate (PEM), e.g. a private CA')
            [CompletionResult]::new('--log-dir', '--log-dir', [CompletionResultType]::ParameterName, 'Log directory holding disputes.jsonl, events and receipts (default: MCPBILL_LOG_DIR, else the platform data directory)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto honours NO_COLOR and only colours terminals')
            [CompletionResult]::new('--allow-http', '--allow-http', [CompletionResultType]::ParameterName, 'Allow a plain http:// provider URL')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout (no tables, colour or prompts)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'mcpbill;dispute;help' {
            [CompletionResult]::new('file', 'file', [CompletionResultType]::ParameterValue, 'Contest the charge of a receipt; evidence is collected automatically')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List disputes (current status) with filters')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one dispute, its evidence and its history')
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Move a dispute along filed -> under_review -> resolved_refund|resolved_denied|resolved_credit')
            [CompletionResult]::new('submit', 'submit', [CompletionResultType]::ParameterValue, 'Send a dispute filed here to its provider (again), as ''dispute file --submit'' does')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mcpbill;dispute;help;file' {
            break
        }
        'mcpbill;dispute;help;list' {
            break
        }
        'mcpbill;dispute;help;show' {
            break
        }
        'mcpbill;dispute;help;update' {
            break
        }
        'mcpbill;dispute;help;submit' {
            break
        }
        'mcpbill;dispute;help;help' {
            break
        }
        'mcpbill;trust' {
            [CompletionResult]::new('--log-dir', '--log-dir', [CompletionResultType]::ParameterName, 'Log directory (default: MCPBILL_LOG_DIR, else the platform data directory); also where disputes.jsonl is read')
            [CompletionResult]::new('--disputes', '--disputes', [CompletionResultType]::ParameterName, 'Disputes log (default: disputes.jsonl in the log directory, if it exists)')
            [CompletionResult]::new('--verifications', '--verifications', [CompletionResultType]::ParameterName, 'Verification records (JSON Lines written by verify-* --record); repeatable')
            [CompletionResult]::new('--pricing', '--pricing', [CompletionResultType]::ParameterName, 'Pricing files giving providers'' categories (for relative latency); repeatable')
            [CompletionResult]::new('--as-of', '--as-of', [CompletionResultType]::ParameterName, 'End of the window: an RFC 3339 time or a date (its end, UTC). Default: now')
            [CompletionResult]::new('--window', '--window', [CompletionResultType]::ParameterName, 'Length of the window before --as-of')
            [CompletionResult]::new('--provider', '--provider', [CompletionResultType]::ParameterName, 'Only show these providers (repeatable)')
            [CompletionResult]::new('--category', '--category', [CompletionResultType]::ParameterName, 'Only show providers in this category')
            [CompletionResult]::new('--min-calls', '--min-calls', [CompletionResultType]::ParameterName, 'Fewer calls than this in the window is insufficient data')
            [CompletionResult]::new('--min-score', '--min-score', [CompletionResultType]::ParameterName, 'Exit 1 if any shown provider scores below N or has no events in the window, or none is shown (0 to 100, for CI)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto honours NO_COLOR and only colours terminals')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout (no tables, colour or prompts)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'mcpbill;report' {
            [CompletionResult]::new('--by', '--by', [CompletionResultType]::ParameterName, 'What to group by')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only events at or after this time (RFC 3339, or a date: its start, UTC)')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Only events before this time (RFC 3339, or a date: the whole day is included)')
            [CompletionResult]::new('--month', '--month', [CompletionResultType]::ParameterName, 'Only events in this UTC month (YYYY-MM); combines with --since/--until')
            [CompletionResult]::new('--log-dir', '--log-dir', [CompletionResultType]::ParameterName, 'Log directory (default: MCPBILL_LOG_DIR, else the platform data directory); also where feedback.jsonl is read')
            [CompletionResult]::new('--feedback', '--feedback', [CompletionResultType]::ParameterName, 'Feedback log (default: feedback.jsonl in the log directory, if it exists)')
            [CompletionResult]::new('--budget', '--budget', [CompletionResultType]::ParameterName, 'Monthly budget per agent (''$50'', ''50'' or microcents), to show budget use with --by agent (events of one month)')
            [CompletionResult]::new('--html', '--html', [CompletionResultType]::ParameterName, 'Write one self-contained HTML page (inline SVG charts) to FILE (''-'': stdout)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto honours NO_COLOR and only colours terminals')
            [CompletionResult]::new('--csv', '--csv', [CompletionResultType]::ParameterName, 'Print CSV (a header, then one row per group) instead of a table')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout (no tables, colour or prompts)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'mcpbill;feedback' {
            [CompletionResult]::new('--agent-id', '--agent-id', [CompletionResultType]::ParameterName, 'Who gives the feedback (default: the agent of the call, when found in the log)')
            [CompletionResult]::new('--log-dir', '--log-dir', [CompletionResultType]::ParameterName, 'Log directory (default: MCPBILL_LOG_DIR, else the platform data directory)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto honours NO_COLOR and only colours terminals')
            [CompletionResult]::new('--discarded', '--discarded', [CompletionResultType]::ParameterName, 'The agent or user discarded the call''s result')
            [CompletionResult]::new('--kept', '--kept', [CompletionResultType]::ParameterName, 'The result was used (records the opposite of --discarded)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout (no tables, colour or prompts)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'mcpbill;export' {
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only events at or after this time (RFC 3339, or a date: its start, UTC)')
            [CompletionResult]::new('--until', '--until', [CompletionResultType]::ParameterName, 'Only events before this time (RFC 3339, or a date: the whole day is included)')
            [CompletionResult]::new('--month', '--month', [CompletionResultType]::ParameterName, 'Only events in this UTC month (YYYY-MM); combines with --since/--until')
            [CompletionResult]::new('--log-dir', '--log-dir', [CompletionResultType]::ParameterName, 'Log directory (default: MCPBILL_LOG_DIR, else the platform data directory)')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write to FILE instead of stdout')
            [CompletionResult]::new('--source', '--source', [CompletionResultType]::ParameterName, 'CloudEvents ''source'' (openmeter)')
            [CompletionResult]::new('--event-type', '--event-type', [CompletionResultType]::ParameterName, 'CloudEvents ''type'' (openmeter)')
            [CompletionResult]::new('--event-name', '--event-name', [CompletionResultType]::ParameterName, 'Stripe meter event name (stripe)')
            [CompletionResult]::new('--stripe-value', '--stripe-value', [CompletionResultType]::ParameterName, 'What the Stripe meter counts: the cost in microcents or one per call (stripe)')
            [CompletionResult]::new('--customer-map', '--customer-map', [CompletionResultType]::ParameterName, 'JSON object mapping agent ids to Stripe customer ids (stripe; without a map the agent id is sent, and with one an agent missing from it stops the export)')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto honours NO_COLOR and only colours terminals')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout (no tables, colour or prompts)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'mcpbill;serve' {
            [CompletionResult]::new('--log-dir', '--log-dir', [CompletionResultType]::ParameterName, 'The log directory whose receipts-*.jsonl files are served, which must exist (default: MCPBILL_LOG_DIR, else the platform data directory, created if needed)')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The HMAC key file receipts are verified with (default: MCPBILL_KEY_FILE, else MCPBILL_KEY)')
            [CompletionResult]::new('--pricing', '--pricing', [CompletionResultType]::ParameterName, 'The pricing file (TOML) whose declarations GET /api/pricing publishes')
            [CompletionResult]::new('--listen', '--listen', [CompletionResultType]::ParameterName, 'The address to listen on; port 0 picks a free port (the bound address is printed)')
            [CompletionResult]::new('--api-keys', '--api-keys', [CompletionResultType]::ParameterName, 'The API keys file (TOML `[[keys]]` with `sha256`, `id`, `role`) that write endpoints check bearer keys against; without it, write endpoints answer 401')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'The public base URL of this server, used for absolute URLs in agents.json')
            [CompletionResult]::new('--request-timeout', '--request-timeout', [CompletionResultType]::ParameterName, 'Time a request may take before it is answered 408, e.g. 10s or 500ms (a bare number is seconds)')
            [CompletionResult]::new('--verifications', '--verifications', [CompletionResultType]::ParameterName, 'Verification records (JSON Lines from verify-* --record) for the trust endpoint')
            [CompletionResult]::new('--hash-key', '--hash-key', [CompletionResultType]::ParameterName, 'Read an API key on stdin and print the line to add to the --api-keys file, then exit')
            [CompletionResult]::new('--role', '--role', [CompletionResultType]::ParameterName, 'The role of the key given to --hash-key')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto honours NO_COLOR and only colours terminals')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout (no tables, colour or prompts)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'mcpbill;discovery' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto honours NO_COLOR and only colours terminals')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout (no tables, colour or prompts)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Write a spec section 7 agents.json document')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Fetch an agents.json document and check its shape and that its endpoints answer')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mcpbill;discovery;init' {
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Where to write the document (''-'' for stdout)')
            [CompletionResult]::new('--base-url', '--base-url', [CompletionResultType]::ParameterName, 'The public base URL of the billing server')
            [CompletionResult]::new('--pricing', '--pricing', [CompletionResultType]::ParameterName, 'The pricing file, for the provider id')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto honours NO_COLOR and only colours terminals')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Overwrite an existing file')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout (no tables, colour or prompts)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'mcpbill;discovery;check' {
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time each request may take, e.g. 10s or 500ms (a bare number is seconds)')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'Trust this extra CA certificate (PEM), e.g. a private CA')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto honours NO_COLOR and only colours terminals')
            [CompletionResult]::new('--allow-http', '--allow-http', [CompletionResultType]::ParameterName, 'Allow plain http:// URLs (https only otherwise)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout (no tables, colour or prompts)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'mcpbill;discovery;help' {
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Write a spec section 7 agents.json document')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Fetch an agents.json document and check its shape and that its endpoints answer')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mcpbill;discovery;help;init' {
            break
        }
        'mcpbill;discovery;help;check' {
            break
        }
        'mcpbill;discovery;help;help' {
            break
        }
        'mcpbill;check' {
            [CompletionResult]::new('--receipt', '--receipt', [CompletionResultType]::ParameterName, 'A receipt (JSON file) to ask the receipts endpoint about')
            [CompletionResult]::new('--key-file', '--key-file', [CompletionResultType]::ParameterName, 'The HMAC key to verify the receipt locally and compare with the provider''s verdict')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time each request may take, e.g. 10s or 500ms (a bare number is seconds)')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'Trust this extra CA certificate (PEM), e.g. a private CA')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto honours NO_COLOR and only colours terminals')
            [CompletionResult]::new('--allow-http', '--allow-http', [CompletionResultType]::ParameterName, 'Allow plain http:// URLs (https only otherwise)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout (no tables, colour or prompts)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'mcpbill;forward' {
            [CompletionResult]::new('--log-dir', '--log-dir', [CompletionResultType]::ParameterName, 'The log directory whose events-*.jsonl files are shipped')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'The metering endpoint URL')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'The wire format')
            [CompletionResult]::new('--batch', '--batch', [CompletionResultType]::ParameterName, 'Events per request')
            [CompletionResult]::new('--attempts', '--attempts', [CompletionResultType]::ParameterName, 'Attempts per batch before giving up (with --once; --follow retries forever)')
            [CompletionResult]::new('--retry-delay', '--retry-delay', [CompletionResultType]::ParameterName, 'Wait before the first retry, e.g. 500ms or 2s (a bare number is milliseconds); each further retry waits twice as long (at most 30 s)')
            [CompletionResult]::new('--poll', '--poll', [CompletionResultType]::ParameterName, 'Time between looks for new events with --follow, e.g. 1s (a bare number is milliseconds)')
            [CompletionResult]::new('--token', '--token', [CompletionResultType]::ParameterName, 'A bearer token sent with each request (default: MCPBILL_FORWARD_TOKEN)')
            [CompletionResult]::new('--timeout', '--timeout', [CompletionResultType]::ParameterName, 'Time each request may take, e.g. 10s or 500ms (a bare number is seconds)')
            [CompletionResult]::new('--ca-cert', '--ca-cert', [CompletionResultType]::ParameterName, 'Trust this extra CA certificate (PEM), e.g. a private CA')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto honours NO_COLOR and only colours terminals')
            [CompletionResult]::new('--once', '--once', [CompletionResultType]::ParameterName, 'Ship what is in the log now, then exit (the default)')
            [CompletionResult]::new('--follow', '--follow', [CompletionResultType]::ParameterName, 'Keep running and ship new events as they are written (stop with Ctrl-C)')
            [CompletionResult]::new('--allow-http', '--allow-http', [CompletionResultType]::ParameterName, 'Allow plain http:// URLs (https only otherwise)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout (no tables, colour or prompts)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'mcpbill;completions' {
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to use colour: auto honours NO_COLOR and only colours terminals')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print machine-readable JSON on stdout (no tables, colour or prompts)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only errors on stderr')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Print more detail on stderr')
            [CompletionResult]::new('--no-input', '--no-input', [CompletionResultType]::ParameterName, 'Never prompt; a missing value is an error naming its flag. From the environment, any value but 0, false, f, no, n, off (or empty) turns it on')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            break
        }
        'mcpbill;help' {
            [CompletionResult]::new('demo', 'demo', [CompletionResultType]::ParameterValue, 'Try mcpbill: wrap a built-in example server, make a few dozen calls, show the bill')
            [CompletionResult]::new('wrap', 'wrap', [CompletionResultType]::ParameterValue, 'Run an MCP server behind a transparent stdio shim that meters every tool call')
            [CompletionResult]::new('pricing', 'pricing', [CompletionResultType]::ParameterValue, 'Declare tool prices in a TOML file: init, validate, show, quote')
            [CompletionResult]::new('receipt', 'receipt', [CompletionResultType]::ParameterValue, 'Sign, verify and inspect receipts (HMAC-SHA256 over the canonical string)')
            [CompletionResult]::new('keygen', 'keygen', [CompletionResultType]::ParameterValue, 'Generate a random HMAC secret and write it to a new file (mode 0600)')
            [CompletionResult]::new('verify-domain', 'verify-domain', [CompletionResultType]::ParameterValue, 'Prove control of a domain with a DNS TXT challenge (mint it, then check it)')
            [CompletionResult]::new('verify-email', 'verify-email', [CompletionResultType]::ParameterValue, 'Check an email address''s syntax and that its domain accepts mail (MX, or A/AAAA)')
            [CompletionResult]::new('verify-code', 'verify-code', [CompletionResultType]::ParameterValue, 'Check that a repository (local checkout or URL) names the provider id')
            [CompletionResult]::new('dispute', 'dispute', [CompletionResultType]::ParameterValue, 'File, list, show and resolve disputes over receipts')
            [CompletionResult]::new('trust', 'trust', [CompletionResultType]::ParameterValue, 'Score providers (0-100) from event logs, disputes and verification records')
            [CompletionResult]::new('report', 'report', [CompletionResultType]::ParameterValue, 'Usage analytics per tool, agent, provider, session or day (table, JSON, CSV, HTML)')
            [CompletionResult]::new('feedback', 'feedback', [CompletionResultType]::ParameterValue, 'Record that a call''s result was discarded (or kept); never changes charges')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Export meter events for OpenMeter, Stripe or as CSV, keyed by event id')
            [CompletionResult]::new('serve', 'serve', [CompletionResultType]::ParameterValue, 'Serve receipts verification, pricing, discovery and feedback over HTTP')
            [CompletionResult]::new('discovery', 'discovery', [CompletionResultType]::ParameterValue, 'Write or check a spec section 7 agents.json discovery document')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Check a provider''s billing server against the spec, section by section')
            [CompletionResult]::new('forward', 'forward', [CompletionResultType]::ParameterValue, 'Ship meter events from the log to a remote metering endpoint')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'mcpbill;help;demo' {
            break
        }
        'mcpbill;help;wrap' {
            break
        }
        'mcpbill;help;pricing' {
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Write a commented pricing file (a wizard on a terminal, flags otherwise)')
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Check a pricing file and report every problem with its line and column')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show a pricing file as a table, or as spec section 3 declarations with --json')
            [CompletionResult]::new('quote', 'quote', [CompletionResultType]::ParameterValue, 'Compute the exact cost of one call')
            break
        }
        'mcpbill;help;pricing;init' {
            break
        }
        'mcpbill;help;pricing;validate' {
            break
        }
        'mcpbill;help;pricing;show' {
            break
        }
        'mcpbill;help;pricing;quote' {
            break
        }
        'mcpbill;help;receipt' {
            [CompletionResult]::new('sign', 'sign', [CompletionResultType]::ParameterValue, 'Sign a receipt for a meter event (file, stdin or flags)')
            [CompletionResult]::new('verify', 'verify', [CompletionResultType]::ParameterValue, 'Verify receipts offline: one JSON document or JSON Lines of any length')
            [CompletionResult]::new('inspect', 'inspect', [CompletionResultType]::ParameterValue, 'Show a receipt, its canonical string and the signed fields')
            break
        }
        'mcpbill;help;receipt;sign' {
            break
        }
        'mcpbill;help;receipt;verify' {
            break
        }
        'mcpbill;help;receipt;inspect' {
            break
        }
        'mcpbill;help;keygen' {
            break
        }
        'mcpbill;help;verify-domain' {
            break
        }
        'mcpbill;help;verify-email' {
            break
        }
        'mcpbill;help;verify-code' {
            break
        }
        'mcpbill;help;dispute' {
            [CompletionResult]::new('file', 'file', [CompletionResultType]::ParameterValue, 'Contest the charge of a receipt; evidence is collected automatically')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List disputes (current status) with filters')
            [CompletionResult]::new('show', 'show', [CompletionResultType]::ParameterValue, 'Show one dispute, its evidence and its history')
            [CompletionResult]::new('update', 'update', [CompletionResultType]::ParameterValue, 'Move a dispute along filed -> under_review -> resolved_refund|resolved_denied|resolved_credit')
            [CompletionResult]::new('submit', 'submit', [CompletionResultType]::ParameterValue, 'Send a dispute filed here to its provider (again), as ''dispute file --submit'' does')
            break
        }
        'mcpbill;help;dispute;file' {
            break
        }
        'mcpbill;help;dispute;list' {
            break
        }
        'mcpbill;help;dispute;show' {
            break
        }
        'mcpbill;help;dispute;update' {
            break
        }
        'mcpbill;help;dispute;submit' {
            break
        }
        'mcpbill;help;trust' {
            break
        }
        'mcpbill;help;report' {
            break
        }
        'mcpbill;help;feedback' {
            break
        }
        'mcpbill;help;export' {
            break
        }
        'mcpbill;help;serve' {
            break
        }
        'mcpbill;help;discovery' {
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Write a spec section 7 agents.json document')
            [CompletionResult]::new('check', 'check', [CompletionResultType]::ParameterValue, 'Fetch an agents.json document and check its shape and that its endpoints answer')
            break
        }
        'mcpbill;help;discovery;init' {
            break
        }
        'mcpbill;help;discovery;check' {
            break
        }
        'mcpbill;help;check' {
            break
        }
        'mcpbill;help;forward' {
            break
        }
        'mcpbill;help;completions' {
            break
        }
        'mcpbill;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
