# vault shell integration for fish: vault hook fish | source, in config.fish.
#
# The prompt hook runs the vault binary only when the credentials' refresh
# deadline passed, a command asked for a reload, or the directory changed in
# a way that matters (__vault_unchanged): a cd within one profile costs a few
# stat calls and two small reads, with no process.
# State lives in the global, non-exported variable __vault_state, handed only
# to vault itself, in its environment (`VAR=value cmd`): never in argv, which
# any local user reads in /proc/PID/cmdline, as `env VAR=value cmd` would put it.
# The shell's own pid ($fish_pid) goes along in __VAULT_PID: a keyless shell's
# token ends when the shell does.

# The unix time. fish has no clock builtin, but `path mtime --relative`
# (fish 3.5+) counts from now; older fish runs date.
if contains path (builtin -n)
    function __vault_now
        math (path mtime /) + (path mtime --relative /)
    end
else
    function __vault_now
        date +%s
    end
end

function __vault_hook --on-event fish_prompt
    set -l __vault_status $status
    set -l __vault_run
    set -q __vault_force[1]; and set __vault_run 1
    if set -q __vault_deadline[1]; and test -n "$__vault_deadline"
        test (__vault_now) -ge $__vault_deadline; and set __vault_run 1
    end
    if test "$__vault_pwd" != "$PWD"
        set -g __vault_pwd $PWD
        set -q __vault_run[1]; or __vault_unchanged; or set __vault_run 1
    end
    if set -q __vault_run[1]
        set -l __vault_flag
        set -q __vault_force[1]; and set __vault_flag --force
        set -e __vault_force
        set -l __vault_out (__VAULT_STATE="$__vault_state" __VAULT_MODE=__VAULT_MODE__ __VAULT_SHELL=fish __VAULT_PID=$fish_pid __VAULT_EXE__ hook-env fish $__vault_flag | string collect)
        and eval $__vault_out
    end
    return $__vault_status
end

# Whether a run of vault here would change nothing, told with builtins from
# what its last run left: the same `vault exec` and mode settings, and
# either a profile pinned by `vault use` or the same nearest .awsprofile
# (path and contents, found as vault looks: upwards, no higher than HOME
# from inside it) under the same trust records (a token `vault allow` and
# `deny` replace); or, out of a profile's folders into none, whether the
# code vault left for that (__vault_leave) did what a run would. Anything
# else runs vault, which decides afresh.
function __vault_unchanged
    set -q __vault_file[1]; or return 1
    test "$AWS_VAULT" = "$__vault_exec"; and test "$VAULT_HOOK_MODE" = "$__vault_hook_mode"; or return 1
    test "$__vault_file" = pinned; and return 0
    set -l dir $PWD
    set -l stop
    if test -n "$HOME"
        if test "$PWD" = "$HOME"; or test (string sub -l (string length -- "$HOME/") -- "$PWD") = "$HOME/"
            set stop $HOME
        end
    end
    set -l file
    while true
        set file (string trim -r -c / -- "$dir")/.awsprofile
        test -f "$file"; and break
        if test "$dir" = "$stop"; or not string match -q -- '/?*' "$dir"
            test -z "$__vault_file"; and return 0
            # Out of the profile's folders: the code vault's last run left
            # does what a run here would, if every variable it manages still
            # holds what it left (else it fails, and vault runs).
            test -n "$__vault_leave"; and eval $__vault_leave
            return
        end
        set dir (string replace -r -- '/[^/]*$' '' "$dir")
        test -n "$dir"; or set dir /
    end
    test "$file" = "$__vault_file"; or return 1
    set -l text
    # A redirection's error is fish's own: only a block silences it.
    begin
        read -z text <$file
    end 2>/dev/null
    test "$text" = "$__vault_text"; or return 1
    set text
    begin
        read text <$__vault_trust_file
    end 2>/dev/null
    test "$text" = "$__vault_trust"
end

# No --wraps: the function's completion is registered by its name below, and
# wrapping the binary ran `vault __complete` a second time at every TAB.
function __VAULT_CMD__
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
            # The state tells which variables the hook set, so that `vault
            # exec other` here reads your own AWS_REGION, not this profile's.
            __VAULT_STATE="$__vault_state" __VAULT_EXE__ $argv
    end
end
