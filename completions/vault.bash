# shellcheck shell=bash
# Tab completion: `vault __complete` answers for the line left of the cursor,
# reading the AWS config and the store's key names (never unlocking it).
# Where it has no answer, bash completes file names as it would without it.
__vault_complete_file() {
    # COMP_WORDS is split at COMP_WORDBREAKS (: @ =) as well, which would cut
    # `a:b` in three, so vault splits the line itself and answers with the
    # part of each candidate after what bash keeps of the word ($2 is what
    # bash replaces).
    mapfile -t COMPREPLY < <(vault __complete bash --line="${COMP_LINE:0:COMP_POINT}" --cur="$2" 2>/dev/null)
    if ((${#COMPREPLY[@]} == 0)); then
        compopt -o default 2>/dev/null
    fi
    return 0
}
complete -F __vault_complete_file vault
