# shellcheck shell=bash
# vault shell integration for zsh: eval "$(vault hook zsh)" in ~/.zshrc.
#
# The prompt hook runs the vault binary only when the directory changed, the
# credentials' refresh deadline passed, or a command asked for a reload; an
# idle prompt costs a string comparison. State lives in the non-exported
# variable __vault_state, handed only to vault itself.
# The shell's own pid ($$) goes along in __VAULT_PID: a keyless shell's
# token ends when the shell does.

zmodload zsh/datetime 2>/dev/null

__vault_hook() {
    local __vault_status=$?
    if [[ "${__vault_pwd-}" != "$PWD" || -n "${__vault_force-}" ||
        (-n "${__vault_deadline-}" && ${EPOCHSECONDS:-0} -ge ${__vault_deadline}) ]]; then
        local __vault_flag=${__vault_force:+--force}
        __vault_pwd=$PWD
        __vault_force=
        local __vault_out
        # Ctrl-C while vault asks for an MFA code must not kill the prompt.
        trap -- '' INT
        if __vault_out=$(__VAULT_STATE="${__vault_state-}" __VAULT_MODE=__VAULT_MODE__ __VAULT_SHELL=zsh __VAULT_PID=$$ __VAULT_EXE__ hook-env zsh ${__vault_flag:+"$__vault_flag"}); then
            eval "$__vault_out"
        fi
        trap - INT
    fi
    return $__vault_status
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
        __vault_out=$(__VAULT_STATE="${__vault_state-}" __VAULT_MODE=__VAULT_MODE__ __VAULT_SHELL=zsh __VAULT_PID=$$ __VAULT_EXE__ "$@") || return
        eval "$__vault_out"
        __vault_pwd=$PWD
        ;;
    allow | deny)
        __VAULT_EXE__ "$@" || return
        __vault_force=1
        __vault_hook
        ;;
    status)
        __VAULT_STATE="${__vault_state-}" __VAULT_MODE=__VAULT_MODE__ __VAULT_SHELL=zsh __VAULT_PID=$$ __VAULT_EXE__ "$@"
        ;;
    *)
        __VAULT_EXE__ "$@"
        ;;
    esac
}

# Register once, however often the rc file is sourced. chpwd makes `cd`
# inside a function or script take effect before the next prompt too.
typeset -ag precmd_functions chpwd_functions
case " ${precmd_functions[*]-} " in
*" __vault_hook "*) ;;
*) precmd_functions=(__vault_hook "${precmd_functions[@]}") ;;
esac
case " ${chpwd_functions[*]-} " in
*" __vault_hook "*) ;;
*) chpwd_functions=(__vault_hook "${chpwd_functions[@]}") ;;
esac
