# shellcheck shell=bash
# Register the completion. With compinit loaded, through compdef. Without
# it, through the older compctl, which needs nothing loaded, so that a
# ~/.zshrc holding only the hook line completes too; and at the first
# prompt through compdef after all, if compinit ran after this line.
__vault_compctl() {
    emulate -L zsh
    local -a __vault_words
    local __vault_n
    # compctl -K: `read -c` reads the line's words and the cursor's word
    # number (zsh's read takes no -r with -c).
    # shellcheck disable=SC2162
    read -cA __vault_words
    # shellcheck disable=SC2162
    read -cn __vault_n
    # Read whole, as __vault_complete does.
    local IFS=$'\n'
    # reply is what compctl -K reads.
    # shellcheck disable=SC2034,SC2207
    reply=($(__VAULT_EXE__ __complete zsh --plain -- "${__vault_words[@]:0:$((__vault_n - 1))}" "$1" 2>/dev/null))
}
__vault_compdef() {
    local -a __vault_keep=()
    local __vault_fn
    for __vault_fn in "${precmd_functions[@]}"; do
        [[ $__vault_fn == __vault_compdef ]] || __vault_keep+=("$__vault_fn")
    done
    precmd_functions=("${__vault_keep[@]}")
    if command -v compdef >/dev/null; then
        compdef __vault_complete __VAULT_NAMES__
    fi
}
if command -v compdef >/dev/null; then
    compdef __vault_complete __VAULT_NAMES__
else
    # `+ -f`: file names where vault offers nothing.
    compctl -K __vault_compctl + -f __VAULT_NAMES__
    case " ${precmd_functions[*]-} " in
    *" __vault_compdef "*) ;;
    *) precmd_functions+=(__vault_compdef) ;;
    esac
fi
