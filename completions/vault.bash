# shellcheck shell=bash
# Tab completion: `vault __complete` answers for the line left of the cursor,
# reading the AWS config and the store's key names (never unlocking it).
# Where it has no answer, bash completes file names as it would without it.
__vault_complete_file() {
    # COMP_WORDS is split at COMP_WORDBREAKS (: @ =) as well, which would cut
    # `a:b` in three, so vault splits the line itself and answers with the
    # part of each candidate after what bash keeps of the word ($2 is what
    # bash replaces).
    # The answer is read whole and split at newlines, with globbing off
    # until the function returns: mapfile and read take a pipe one byte per
    # system call, 20,000 of them for 500 profiles and their descriptions.
    local -
    local IFS=$'\n' __vault_out
    __vault_out=$(vault __complete bash --line="${COMP_LINE:0:COMP_POINT}" --cur="$2" 2>/dev/null)
    set -f
    # shellcheck disable=SC2206
    COMPREPLY=($__vault_out)
    if ((${#COMPREPLY[@]} == 0)); then
        compopt -o default 2>/dev/null
    fi
    return 0
}
complete -F __vault_complete_file vault
