# shellcheck shell=bash
# Register the completion now if compinit has run, else at the first prompt:
# compinit usually comes after this line of ~/.zshrc.
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
    case " ${precmd_functions[*]-} " in
    *" __vault_compdef "*) ;;
    *) precmd_functions+=(__vault_compdef) ;;
    esac
fi
