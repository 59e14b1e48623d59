# Tab completion: `vault __complete` answers for the words left of the
# cursor, reading the AWS config and the store's key names (never unlocking
# it). Where it has no answer, fish completes file names.
function __vault_complete_file
    set -l __vault_out (vault __complete fish --cur=(commandline -ct) -- (commandline -cop) 2>/dev/null)
    if set -q __vault_out[1]
        printf '%s\n' $__vault_out
    else
        __fish_complete_path (commandline -ct)
    end
end
complete -c 'vault' -f -a '(__vault_complete_file)'
