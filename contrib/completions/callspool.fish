function __callspool_should_offer_completions_for_flags_or_options -a expected_commands
    set -l non_repeating_flags_or_options $argv[2..]
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __callspool_parse_tokens
    test "$commands" = "$expected_commands"; and return $non_repeating_flags_or_options_absent
end

function __callspool_should_offer_completions_for_positional -a expected_commands positional_index_comparison expected_positional_index
    set -l non_repeating_flags_or_options
    set -l non_repeating_flags_or_options_absent 0
    set -l positional_index 0
    set -l commands
    __callspool_parse_tokens
    test "$commands" = "$expected_commands" -a \( "$positional_index" "$positional_index_comparison" "$expected_positional_index" \)
end

function __callspool_parse_tokens -S
    set -l unparsed_tokens (__callspool_tokens -pc)
    switch $unparsed_tokens[1]
    case 'callspool'
        __callspool_parse_subcommand 0 'version' 'h/help'
        switch $unparsed_tokens[1]
        case 'run'
            __callspool_parse_subcommand 0 'config=' 'log-level=' 'version' 'h/help'
        case 'status'
            __callspool_parse_subcommand 0 'config=' 'json' 'version' 'h/help'
        case 'jobs'
            __callspool_parse_subcommand 0 'config=' 'state=' 'campaign=' 'limit=' 'json' 'version' 'h/help'
        case 'job'
            __callspool_parse_subcommand 1 'config=' 'json' 'version' 'h/help'
        case 'campaigns'
            __callspool_parse_subcommand 0 'config=' 'json' 'version' 'h/help'
        case 'submit'
            __callspool_parse_subcommand -r 1 'config=' 'partial' 'version' 'h/help'
        case 'validate'
            __callspool_parse_subcommand -r 1 'json' 'max-file-bytes=' 'config=' 'version' 'h/help'
        case 'cancel'
            __callspool_parse_subcommand -r 1 'config=' 'campaign=' 'version' 'h/help'
        case 'retry'
            __callspool_parse_subcommand -r 1 'config=' 'state=' 'campaign=' 'version' 'h/help'
        case 'pause'
            __callspool_parse_subcommand 0 'config=' 'campaign=' 'version' 'h/help'
        case 'resume'
            __callspool_parse_subcommand 0 'config=' 'campaign=' 'version' 'h/help'
        case 'export'
            __callspool_parse_subcommand 0 'config=' 'campaign=' 'format=' 'version' 'h/help'
        case 'simulate'
            __callspool_parse_subcommand 0 'port=' 'host=' 'scenario=' 'time-scale=' 'seed=' 'inspect' 'log-level=' 'version' 'h/help'
        case 'demo'
            __callspool_parse_subcommand 0 'dir=' 'jobs=' 'scenario=' 'calls=' 'time-scale=' 'timeout=' 'log-level=' 'version' 'h/help'
        case 'check'
            __callspool_parse_subcommand 0 'config=' 'json' 'version' 'h/help'
        case 'report'
            __callspool_parse_subcommand 0 'config=' 'campaign=' 'output=' 'version' 'h/help'
        case 'store'
            __callspool_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'migrate'
                __callspool_parse_subcommand 0 'from=' 'to=' 'password-file=' 'version' 'h/help'
            end
        case 'suppress'
            __callspool_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'add'
                __callspool_parse_subcommand -r 1 'config=' 'reason=' 'campaign=' 'version' 'h/help'
            case 'remove'
                __callspool_parse_subcommand -r 1 'config=' 'reason=' 'campaign=' 'version' 'h/help'
            case 'list'
                __callspool_parse_subcommand 0 'config=' 'json' 'limit=' 'version' 'h/help'
            case 'import'
                __callspool_parse_subcommand 1 'config=' 'reason=' 'campaign=' 'version' 'h/help'
            case 'export'
                __callspool_parse_subcommand 0 'config=' 'version' 'h/help'
            end
        case 'webhooks'
            __callspool_parse_subcommand 0 'version' 'h/help'
            switch $unparsed_tokens[1]
            case 'status'
                __callspool_parse_subcommand 0 'config=' 'json' 'version' 'h/help'
            case 'replay'
                __callspool_parse_subcommand 0 'config=' 'since=' 'job=' 'webhook=' 'version' 'h/help'
            end
        case 'help'
            __callspool_parse_subcommand -r 1 'version'
        end
    end
end

function __callspool_tokens
    if test (string split -m 1 -f 1 -- . "$FISH_VERSION") -gt 3
        commandline --tokens-raw $argv
    else
        commandline -o $argv
    end
end

function __callspool_parse_subcommand -S -a positional_count
    argparse -s r -- $argv
    set -l option_specs $argv[2..]
    set -l is_repeating_positional $_flag_r
    set -el _flag_r
    set -a commands $unparsed_tokens[1]
    set positional_index 0
    while true
        set -e unparsed_tokens[1]
        argparse -sn "$commands" $option_specs -- $unparsed_tokens 2> /dev/null
        set unparsed_tokens $argv
        set positional_index (math $positional_index + 1)
        for non_repeating_flag_or_option in $non_repeating_flags_or_options
            if set -ql "_flag_$(string replace -a - _ -- $non_repeating_flag_or_option)"
                set non_repeating_flags_or_options_absent 1
                break
            end
        end
        test (count $unparsed_tokens) -eq 0 -o \( -z "$is_repeating_positional" -a "$positional_index" -gt "$positional_count" \) && break
    end
end

function __callspool_complete_directories
    set -l token (commandline -t)
    string match -- '*/' $token
    set -l subdirs $token*/
    printf %s\n $subdirs
end

function __callspool_custom_completion
    set -x SAP_SHELL fish
    set -x SAP_SHELL_VERSION $FISH_VERSION
    set -l tokens (__callspool_tokens -p)
    if test -z "$(__callspool_tokens -t)"
        set -l index (count (__callspool_tokens -pc))
        set tokens $tokens[..$index] \'\' $tokens[(math $index + 1)..]
    end
    command $tokens[1] $argv $tokens
end

complete -c 'callspool' -f
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool" version' -l 'version' -d 'Show the version.'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_positional "callspool" -eq 1' -fa 'run' -d 'Run the daemon in the foreground (systemd runs this).'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_positional "callspool" -eq 1' -fa 'status' -d 'Daemon liveness, counts per state, ports, pauses and halts.'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_positional "callspool" -eq 1' -fa 'jobs' -d 'List jobs, newest first.'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_positional "callspool" -eq 1' -fa 'job' -d 'One job: fields, attempts, events, digits, CDR.'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_positional "callspool" -eq 1' -fa 'campaigns' -d 'Progress per campaign, outcome and digit histograms.'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_positional "callspool" -eq 1' -fa 'submit' -d 'Validate job files, then drop them atomically into the spool\'s incoming/ directory.'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_positional "callspool" -eq 1' -fa 'validate' -d 'Check job files without queueing them; exit 1 with one line per bad job.'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_positional "callspool" -eq 1' -fa 'cancel' -d 'Cancel queued jobs by id or campaign.'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_positional "callspool" -eq 1' -fa 'retry' -d 'Requeue failed, unknown or expired jobs.'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_positional "callspool" -eq 1' -fa 'pause' -d 'Pause dispatch, globally or for one campaign (persists across restarts).'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_positional "callspool" -eq 1' -fa 'resume' -d 'Resume dispatch, globally or for one campaign.'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_positional "callspool" -eq 1' -fa 'export' -d 'Export one row per job of a campaign (CSV per RFC 4180, or JSON Lines) to stdout.'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_positional "callspool" -eq 1' -fa 'simulate' -d 'Run the fake VoiceCall platform standalone.'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_positional "callspool" -eq 1' -fa 'demo' -d 'Simulator + daemon + the jobs/ examples, with live progress and a result table.'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_positional "callspool" -eq 1' -fa 'check' -d 'Check the configuration as `run` would load it; never places a call.'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_positional "callspool" -eq 1' -fa 'report' -d 'Write a self-contained HTML report of a campaign, with charts.'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_positional "callspool" -eq 1' -fa 'store' -d 'Operations on the store itself.'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_positional "callspool" -eq 1' -fa 'suppress' -d 'Manage the suppression list (numbers never called).'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_positional "callspool" -eq 1' -fa 'webhooks' -d 'Show and replay the result webhooks\' deliveries.'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_positional "callspool" -eq 1' -fa 'help' -d 'Show subcommand help information.'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool run" config' -l 'config' -d 'Configuration file (default: $CALLSPOOL_CONFIG, else /etc/callspool/callspool.toml).' -rfka ''
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool run" log-level' -l 'log-level' -d 'Log level: trace, debug, info, notice, warning, error, critical.' -rfka ''
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool run" version' -l 'version' -d 'Show the version.'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool run" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool status" config' -l 'config' -d 'Configuration file (default: $CALLSPOOL_CONFIG, else /etc/callspool/callspool.toml).' -rfka ''
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool status" json' -l 'json' -d 'Machine-readable output.'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool status" version' -l 'version' -d 'Show the version.'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool status" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool jobs" config' -l 'config' -d 'Configuration file (default: $CALLSPOOL_CONFIG, else /etc/callspool/callspool.toml).' -rfka ''
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool jobs" state' -l 'state' -d 'Only jobs in this state (queued, dispatching, in_call, completed, failed, expired, canceled, unknown).' -rfka ''
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool jobs" campaign' -l 'campaign' -d 'Only jobs of this campaign.' -rfka ''
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool jobs" limit' -l 'limit' -d 'At most this many jobs.' -rfka ''
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool jobs" json' -l 'json' -d 'Machine-readable output.'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool jobs" version' -l 'version' -d 'Show the version.'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool jobs" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool job" config' -l 'config' -d 'Configuration file (default: $CALLSPOOL_CONFIG, else /etc/callspool/callspool.toml).' -rfka ''
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool job" json' -l 'json' -d 'Machine-readable output.'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool job" version' -l 'version' -d 'Show the version.'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool job" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool campaigns" config' -l 'config' -d 'Configuration file (default: $CALLSPOOL_CONFIG, else /etc/callspool/callspool.toml).' -rfka ''
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool campaigns" json' -l 'json' -d 'Machine-readable output.'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool campaigns" version' -l 'version' -d 'Show the version.'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool campaigns" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool submit" config' -l 'config' -d 'Configuration file (default: $CALLSPOOL_CONFIG, else /etc/callspool/callspool.toml).' -rfka ''
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool submit" partial' -l 'partial' -d 'Submit a file even when some of its jobs are invalid (they are reported and skipped).'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool submit" version' -l 'version' -d 'Show the version.'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool submit" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool validate" json' -l 'json' -d 'Print one JSON report per file (an array) instead of lines.'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool validate" max-file-bytes' -l 'max-file-bytes' -d 'Largest file accepted, in bytes (spool.max_file_bytes).' -rfka ''
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool validate" config' -l 'config' -d 'Configuration whose [guard] callee_prefixes apply (default: $CALLSPOOL_CONFIG or /etc/callspool/callspool.toml when readable; else the default prefixes, +86).' -rfka ''
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool validate" version' -l 'version' -d 'Show the version.'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool validate" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool cancel" config' -l 'config' -d 'Configuration file (default: $CALLSPOOL_CONFIG, else /etc/callspool/callspool.toml).' -rfka ''
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool cancel" campaign' -l 'campaign' -d 'Cancel every queued job of this campaign.' -rfka ''
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool cancel" version' -l 'version' -d 'Show the version.'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool cancel" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool retry" config' -l 'config' -d 'Configuration file (default: $CALLSPOOL_CONFIG, else /etc/callspool/callspool.toml).' -rfka ''
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool retry" state' -l 'state' -d 'Requeue every job in this state: failed, unknown or expired.' -rfka ''
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool retry" campaign' -l 'campaign' -d 'Only jobs of this campaign.' -rfka ''
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool retry" version' -l 'version' -d 'Show the version.'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool retry" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool pause" config' -l 'config' -d 'Configuration file (default: $CALLSPOOL_CONFIG, else /etc/callspool/callspool.toml).' -rfka ''
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool pause" campaign' -l 'campaign' -d 'Pause only this campaign.' -rfka ''
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool pause" version' -l 'version' -d 'Show the version.'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool pause" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool resume" config' -l 'config' -d 'Configuration file (default: $CALLSPOOL_CONFIG, else /etc/callspool/callspool.toml).' -rfka ''
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool resume" campaign' -l 'campaign' -d 'Resume only this campaign.' -rfka ''
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool resume" version' -l 'version' -d 'Show the version.'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool resume" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool export" config' -l 'config' -d 'Configuration file (default: $CALLSPOOL_CONFIG, else /etc/callspool/callspool.toml).' -rfka ''
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool export" campaign' -l 'campaign' -d 'The campaign to export.' -rfka ''
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool export" format' -l 'format' -d 'csv or jsonl.' -rfka ''
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool export" version' -l 'version' -d 'Show the version.'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool export" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool simulate" port' -l 'port' -d 'Port to listen on (0 picks a free one).' -rfka ''
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool simulate" host' -l 'host' -d 'Address to listen on.' -rfka ''
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool simulate" scenario' -l 'scenario' -d 'Scenario file (JSON).' -rfka ''
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool simulate" time-scale' -l 'time-scale' -d 'Simulated seconds per real second (60 plays a 30 s call in 0.5 s).' -rfka ''
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool simulate" seed' -l 'seed' -d 'Seed of the random choices (default: the scenario\'s, else 1).' -rfka ''
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool simulate" inspect' -l 'inspect' -d 'Serve GET /_sim/state and the fault API even if the scenario does not enable them.'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool simulate" log-level' -l 'log-level' -d 'Log level (trace, debug, info, notice, warning, error).' -rfka ''
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool simulate" version' -l 'version' -d 'Show the version.'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool simulate" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool demo" dir' -l 'dir' -d 'Keep the configuration, store and spool in this directory (default: a temporary one, removed).' -rfka ''
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool demo" jobs' -l 'jobs' -d 'The example job files to submit.' -rfka ''
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool demo" scenario' -l 'scenario' -d 'Simulator scenario (default: jobs/simulator/scenario.json when present).' -rfka ''
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool demo" calls' -l 'calls' -d 'Calls in the generated campaign.' -rfka ''
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool demo" time-scale' -l 'time-scale' -d 'Simulated seconds per real second.' -rfka ''
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool demo" timeout' -l 'timeout' -d 'Stop after this many seconds even if jobs are unfinished.' -rfka ''
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool demo" log-level' -l 'log-level' -d 'Log level of the daemon and simulator (their logs go to stderr).' -rfka ''
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool demo" version' -l 'version' -d 'Show the version.'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool demo" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool check" config' -l 'config' -d 'Configuration file (default: $CALLSPOOL_CONFIG, else /etc/callspool/callspool.toml).' -rfka ''
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool check" json' -l 'json' -d 'Machine-readable output.'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool check" version' -l 'version' -d 'Show the version.'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool check" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool report" config' -l 'config' -d 'Configuration file (default: $CALLSPOOL_CONFIG, else /etc/callspool/callspool.toml).' -rfka ''
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool report" campaign' -l 'campaign' -d 'The campaign.' -rfka ''
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool report" output' -l 'output' -d 'Where to write the HTML file.' -rfka ''
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool report" version' -l 'version' -d 'Show the version.'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool report" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool store" version' -l 'version' -d 'Show the version.'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool store" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_positional "callspool store" -eq 1' -fa 'migrate' -d 'Copy a stopped SQLite store into an empty PostgreSQL database, verified by counts.'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool store migrate" from' -l 'from' -d 'The SQLite store file ([store] path).' -rfka ''
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool store migrate" to' -l 'to' -d 'The PostgreSQL database: postgresql://user@host:port/database.' -rfka ''
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool store migrate" password-file' -l 'password-file' -d 'A file holding the PostgreSQL password (mode 600).' -rfka ''
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool store migrate" version' -l 'version' -d 'Show the version.'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool store migrate" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool suppress" version' -l 'version' -d 'Show the version.'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool suppress" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_positional "callspool suppress" -eq 1' -fa 'add' -d 'Add numbers to the suppression list.'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_positional "callspool suppress" -eq 1' -fa 'remove' -d 'Take numbers off the suppression list.'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_positional "callspool suppress" -eq 1' -fa 'list' -d 'List the suppression list (numbers masked unless --json).'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_positional "callspool suppress" -eq 1' -fa 'import' -d 'Import numbers from a file: one per line, optionally `number,reason,scope` (CSV, as `export` writes).'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_positional "callspool suppress" -eq 1' -fa 'export' -d 'Write the whole suppression list as CSV to standard output (`import` reads it back).'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool suppress add" config' -l 'config' -d 'Configuration file (default: $CALLSPOOL_CONFIG, else /etc/callspool/callspool.toml).' -rfka ''
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool suppress add" reason' -l 'reason' -d 'Why (kept with the entry and in the audit).' -rfka ''
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool suppress add" campaign' -l 'campaign' -d 'Only for this campaign, or campaigns starting with a prefix ending in * (e.g. flu-*); default: every campaign.' -rfka ''
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool suppress add" version' -l 'version' -d 'Show the version.'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool suppress add" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool suppress remove" config' -l 'config' -d 'Configuration file (default: $CALLSPOOL_CONFIG, else /etc/callspool/callspool.toml).' -rfka ''
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool suppress remove" reason' -l 'reason' -d 'Why (kept with the entry and in the audit).' -rfka ''
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool suppress remove" campaign' -l 'campaign' -d 'Only for this campaign, or campaigns starting with a prefix ending in * (e.g. flu-*); default: every campaign.' -rfka ''
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool suppress remove" version' -l 'version' -d 'Show the version.'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool suppress remove" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool suppress list" config' -l 'config' -d 'Configuration file (default: $CALLSPOOL_CONFIG, else /etc/callspool/callspool.toml).' -rfka ''
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool suppress list" json' -l 'json' -d 'Machine-readable output: an array of entries, numbers in full.'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool suppress list" limit' -l 'limit' -d 'At most this many entries (0: all).' -rfka ''
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool suppress list" version' -l 'version' -d 'Show the version.'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool suppress list" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool suppress import" config' -l 'config' -d 'Configuration file (default: $CALLSPOOL_CONFIG, else /etc/callspool/callspool.toml).' -rfka ''
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool suppress import" reason' -l 'reason' -d 'Why (kept with the entry and in the audit).' -rfka ''
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool suppress import" campaign' -l 'campaign' -d 'Only for this campaign, or campaigns starting with a prefix ending in * (e.g. flu-*); default: every campaign.' -rfka ''
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool suppress import" version' -l 'version' -d 'Show the version.'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool suppress import" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool suppress export" config' -l 'config' -d 'Configuration file (default: $CALLSPOOL_CONFIG, else /etc/callspool/callspool.toml).' -rfka ''
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool suppress export" version' -l 'version' -d 'Show the version.'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool suppress export" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool webhooks" version' -l 'version' -d 'Show the version.'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool webhooks" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_positional "callspool webhooks" -eq 1' -fa 'status' -d 'Deliveries per webhook: pending, delivered, given up.'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_positional "callspool webhooks" -eq 1' -fa 'replay' -d 'Queue given-up deliveries again (or every delivery of one job).'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool webhooks status" config' -l 'config' -d 'Configuration file (default: $CALLSPOOL_CONFIG, else /etc/callspool/callspool.toml).' -rfka ''
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool webhooks status" json' -l 'json' -d 'Machine-readable output: an array of {webhook, pending, delivered, gaveUp, oldestPending}.'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool webhooks status" version' -l 'version' -d 'Show the version.'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool webhooks status" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool webhooks replay" config' -l 'config' -d 'Configuration file (default: $CALLSPOOL_CONFIG, else /etc/callspool/callspool.toml).' -rfka ''
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool webhooks replay" since' -l 'since' -d 'Only deliveries queued at or after this time (RFC 3339, e.g. 2026-12-05T08:00:00Z).' -rfka ''
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool webhooks replay" job' -l 'job' -d 'Only this job\'s deliveries, delivered ones included.' -rfka ''
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool webhooks replay" webhook' -l 'webhook' -d 'Only this webhook\'s deliveries.' -rfka ''
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool webhooks replay" version' -l 'version' -d 'Show the version.'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool webhooks replay" h help' -s 'h' -l 'help' -d 'Show help information.'
complete -c 'callspool' -n '__callspool_should_offer_completions_for_flags_or_options "callspool help" version' -l 'version' -d 'Show the version.'
