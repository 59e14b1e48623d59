# shellcheck shell=bash
# Tab completion: `vault __complete` answers for the words left of the
# cursor, reading the AWS config and the store's key names (never unlocking
# it). Where it has no answer, zsh completes file names.
__vault_complete() {
    local -a __vault_items
    # words and CURRENT are set by zsh's completion system.
    # shellcheck disable=SC2154
    __vault_lines __VAULT_EXE__ __complete zsh -- "${words[@]:0:$CURRENT}"
    if ((${#__vault_items[@]} == 0)); then
        _files
    else
        _describe vault __vault_items
    fi
}
# Runs "$@" and puts its lines in the caller's __vault_items, read whole:
# read takes a pipe one byte per system call, 20,000 of them for 500
# profiles and their descriptions. IFS and the options are changed here
# only, not where _describe runs (it needs the completion system's).
__vault_lines() {
    # zsh's own options: no globbing of what vault answers (GLOB_SUBST).
    emulate -L zsh
    local IFS=$'\n'
    # shellcheck disable=SC2034,SC2207
    __vault_items=($("$@" 2>/dev/null))
}
