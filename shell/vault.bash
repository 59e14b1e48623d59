# shellcheck shell=bash
# vault shell integration for bash: eval "$(vault hook bash)" in ~/.bashrc.
#
# The prompt hook runs the vault binary only when the credentials' refresh
# deadline passed, a command asked for a reload, or the directory changed in
# a way that matters (__vault_unchanged): an idle prompt costs a string
# comparison, and a cd within one profile a few stat calls and two small
# reads, with no process. State lives in the non-exported variable
# __vault_state, handed only to vault itself.
# The shell's own pid ($$) goes along in __VAULT_PID: a keyless shell's
# token ends when the shell does.

__vault_hook() {
    local __vault_status=$?
    local __vault_run=${__vault_force-}
    if [[ -n "${__vault_deadline-}" ]]; then
        # EPOCHSECONDS (bash 5) costs nothing; printf's clock, 10 us a prompt.
        local __vault_now=${EPOCHSECONDS-}
        [[ -n $__vault_now ]] || printf -v __vault_now '%(%s)T' -1
        if ((__vault_now >= __vault_deadline)); then
            __vault_run=1
        fi
    fi
    if [[ "${__vault_pwd-}" != "$PWD" ]]; then
        __vault_pwd=$PWD
        [[ -n $__vault_run ]] || __vault_unchanged || __vault_run=1
    fi
    if [[ -n $__vault_run ]]; then
        local __vault_flag=${__vault_force:+--force}
        __vault_force=
        local __vault_out
        # Ctrl-C while vault asks for an MFA code must not kill the prompt.
        trap -- '' SIGINT
        if __vault_out=$(__VAULT_STATE="${__vault_state-}" __VAULT_MODE=__VAULT_MODE__ __VAULT_SHELL=bash __VAULT_PID=$$ __VAULT_EXE__ hook-env bash ${__vault_flag:+"$__vault_flag"}); then
            eval "$__vault_out"
        fi
        trap - SIGINT
    fi
    return "$__vault_status"
}

# Whether a run of vault here would change nothing, told with builtins from
# what its last run left: the same `vault exec` and mode settings, and
# either a profile pinned by `vault use` or the same nearest .awsprofile
# (path and contents, found as vault looks: upwards, no higher than HOME
# from inside it) under the same trust records (a token `vault allow` and
# `deny` replace); or, out of a profile's folders into none, whether the
# code vault left for that (__vault_leave) did what a run would. Anything
# else runs vault, which decides afresh.
__vault_unchanged() {
    [[ -n ${__vault_file+set} && "${AWS_VAULT-}" == "${__vault_exec-}" &&
        "${VAULT_HOOK_MODE-}" == "${__vault_hook_mode-}" ]] || return 1
    [[ $__vault_file == pinned ]] && return 0
    local dir=$PWD stop='' text=''
    if [[ -n ${HOME-} && ($PWD == "$HOME" || $PWD == "$HOME"/*) ]]; then
        stop=$HOME
    fi
    while [[ ! -f ${dir%/}/.awsprofile ]]; do
        if [[ $dir == "$stop" || $dir != /?* ]]; then
            [[ -z $__vault_file ]] && return 0
            # Out of the profile's folders: the code vault's last run left
            # does what a run here would, if every variable it manages still
            # holds what it left (else it fails, and vault runs).
            [[ -n ${__vault_leave-} ]] && eval "$__vault_leave"
            return
        fi
        dir=${dir%/*}
        dir=${dir:-/}
    done
    [[ ${dir%/}/.awsprofile == "$__vault_file" ]] || return 1
    { IFS= read -r -d '' text <"$__vault_file"; } 2>/dev/null
    [[ $text == "${__vault_text-}" ]] || return 1
    text=''
    { IFS= read -r text <"${__vault_trust_file-}"; } 2>/dev/null
    [[ $text == "${__vault_trust-}" ]]
}

__VAULT_CMD__() {
    local __vault_out __vault_arg __vault_sub='' __vault_skip=''
    # Help is text for people, not code to evaluate.
    for __vault_arg in "$@"; do
        case $__vault_arg in
        -h | --help | --help-long)
            __VAULT_EXE__ "$@"
            return
            ;;
        esac
    done
    # The subcommand is the first word that is neither a global flag nor the
    # value of one (`vault --debug use work`, `vault --prompt zenity use admin`).
    for __vault_arg in "$@"; do
        if [[ -n $__vault_skip ]]; then
            __vault_skip=
        elif [[ $__vault_arg == -* ]]; then
            case $__vault_arg in
            __VAULT_VALUE_FLAGS__) __vault_skip=1 ;;
            esac
        else
            __vault_sub=$__vault_arg
            break
        fi
    done
    case $__vault_sub in
    use | unuse | reload)
        __vault_out=$(__VAULT_STATE="${__vault_state-}" __VAULT_MODE=__VAULT_MODE__ __VAULT_SHELL=bash __VAULT_PID=$$ __VAULT_EXE__ "$@") || return
        eval "$__vault_out"
        __vault_pwd=$PWD
        ;;
    allow | deny)
        __VAULT_EXE__ "$@" || return
        __vault_force=1
        __vault_hook
        ;;
    status)
        __VAULT_STATE="${__vault_state-}" __VAULT_MODE=__VAULT_MODE__ __VAULT_SHELL=bash __VAULT_PID=$$ __VAULT_EXE__ "$@"
        ;;
    *)
        # The state tells which variables the hook set, so that `vault exec
        # other` here reads your own AWS_REGION, not this profile's.
        __VAULT_STATE="${__vault_state-}" __VAULT_EXE__ "$@"
        ;;
    esac
}

# Register once, however often the rc file is sourced; PROMPT_COMMAND may be
# a string or (bash 5.1+) an array.
if [[ ";${PROMPT_COMMAND[*]-};" != *";__vault_hook;"* ]]; then
    if [[ "$(declare -p PROMPT_COMMAND 2>/dev/null)" == "declare -a"* ]]; then
        PROMPT_COMMAND=(__vault_hook "${PROMPT_COMMAND[@]}")
    else
        # It is a plain string here, whatever shellcheck infers from the branch above.
        # shellcheck disable=SC2178,SC2128
        PROMPT_COMMAND="__vault_hook${PROMPT_COMMAND:+;$PROMPT_COMMAND}"
    fi
fi
