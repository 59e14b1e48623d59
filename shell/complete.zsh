# shellcheck shell=bash
# Tab completion: `vault __complete` answers for the words left of the
# cursor, reading the AWS config and the store's key names (never unlocking
# it). Where it has no answer, zsh completes file names.
__vault_complete() {
    local -a __vault_items=()
    local __vault_item
    # words and CURRENT are set by zsh's completion system.
    # shellcheck disable=SC2154
    while IFS= read -r __vault_item; do
        __vault_items+=("$__vault_item")
    done < <(__VAULT_EXE__ __complete zsh -- "${words[@]:0:$CURRENT}" 2>/dev/null)
    if ((${#__vault_items[@]} == 0)); then
        _files
    else
        _describe vault __vault_items
    fi
}
