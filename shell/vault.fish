# vault shell integration for fish: vault hook fish | source, in config.fish.
#
# The prompt hook runs the vault binary only when the directory changed, the
# credentials' refresh deadline passed, or a command asked for a reload.
# State lives in the global, non-exported variable __vault_state, handed only
# to vault itself, in its environment (`VAR=value cmd`): never in argv, which
# any local user reads in /proc/PID/cmdline, as `env VAR=value cmd` would put it.
# The shell's own pid ($fish_pid) goes along in __VAULT_PID: a keyless shell's
# token ends when the shell does.

function __vault_hook --on-event fish_prompt
    set -l __vault_status $status
    set -l __vault_due 0
    if set -q __vault_deadline[1]; and test -n "$__vault_deadline"
        # fish has no clock builtin; this runs only while credentials are active.
        test (date +%s) -ge $__vault_deadline; and set __vault_due 1
    end
    if test "$__vault_pwd" != "$PWD"; or set -q __vault_force[1]; or test $__vault_due = 1
        set -l __vault_flag
        set -q __vault_force[1]; and set __vault_flag --force
        set -g __vault_pwd $PWD
        set -e __vault_force
        set -l __vault_out (__VAULT_STATE="$__vault_state" __VAULT_MODE=__VAULT_MODE__ __VAULT_SHELL=fish __VAULT_PID=$fish_pid __VAULT_EXE__ hook-env fish $__vault_flag | string collect)
        and eval $__vault_out
    end
    return $__vault_status
end

function __VAULT_CMD__ --wraps __VAULT_EXE__
    # Help is text for people, not code to evaluate.
    if contains -- -h $argv; or contains -- --help $argv; or contains -- --help-long $argv
        __VAULT_EXE__ $argv
        return
    end
    # The subcommand is the first word that is neither a global flag nor the
    # value of one (`vault --debug use work`, `vault --prompt zenity use admin`).
    set -l __vault_sub
    set -l __vault_skip 0
    for __vault_arg in $argv
        if test $__vault_skip = 1
            set __vault_skip 0
        else if string match -q -- '-*' $__vault_arg
            contains -- $__vault_arg __VAULT_VALUE_FLAGS__; and set __vault_skip 1
        else
            set __vault_sub $__vault_arg
            break
        end
    end
    switch "$__vault_sub"
        case use unuse reload
            set -l __vault_out (__VAULT_STATE="$__vault_state" __VAULT_MODE=__VAULT_MODE__ __VAULT_SHELL=fish __VAULT_PID=$fish_pid __VAULT_EXE__ $argv | string collect)
            or return
            eval $__vault_out
            set -g __vault_pwd $PWD
        case allow deny
            __VAULT_EXE__ $argv; or return
            set -g __vault_force 1
            __vault_hook
        case status
            __VAULT_STATE="$__vault_state" __VAULT_MODE=__VAULT_MODE__ __VAULT_SHELL=fish __VAULT_PID=$fish_pid __VAULT_EXE__ $argv
        case '*'
            __VAULT_EXE__ $argv
    end
end
