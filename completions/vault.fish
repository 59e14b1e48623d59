# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_vault_global_optspecs
    string join \n debug backend= prompt= file-dir= help-long h/help V/version
end

function __fish_vault_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_vault_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_vault_using_subcommand
    set -l cmd (__fish_vault_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c vault -n "__fish_vault_needs_command" -l backend -d 'Secret backend to use' -r -f -a "file\t'Encrypted files in --file-dir, one per item (aws-vault\'s format)'"
complete -c vault -n "__fish_vault_needs_command" -l prompt -d 'Prompt driver to use for passphrases and MFA codes' -r -f -a "terminal\t'Ask on the controlling terminal (/dev/tty)'"
complete -c vault -n "__fish_vault_needs_command" -l file-dir -d 'Directory of the encrypted file backend [default: ~/.awsvault/keys]' -r -F
complete -c vault -n "__fish_vault_needs_command" -l debug -d 'Show debugging output on stderr (never secrets)'
complete -c vault -n "__fish_vault_needs_command" -l help-long -d 'Same as --help (aws-vault\'s name for the long help)'
complete -c vault -n "__fish_vault_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vault -n "__fish_vault_needs_command" -s V -l version -d 'Print version'
complete -c vault -n "__fish_vault_needs_command" -f -a "add" -d 'Add credentials to the secure keystore'
complete -c vault -n "__fish_vault_needs_command" -f -a "remove" -d 'Remove credentials from the secure keystore'
complete -c vault -n "__fish_vault_needs_command" -f -a "rm" -d 'Remove credentials from the secure keystore'
complete -c vault -n "__fish_vault_needs_command" -f -a "list" -d 'List profiles, along with their credentials and sessions'
complete -c vault -n "__fish_vault_needs_command" -f -a "ls" -d 'List profiles, along with their credentials and sessions'
complete -c vault -n "__fish_vault_needs_command" -f -a "clear" -d 'Clear temporary credentials from the secure keystore'
complete -c vault -n "__fish_vault_needs_command" -f -a "exec" -d 'Execute a command with AWS credentials'
complete -c vault -n "__fish_vault_needs_command" -f -a "export" -d 'Export AWS credentials'
complete -c vault -n "__fish_vault_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c vault -n "__fish_vault_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c vault -n "__fish_vault_using_subcommand add" -l add-config -d 'Add a [profile PROFILE] section to the AWS config file if it is missing' -r -f -a "true\t''
false\t''"
complete -c vault -n "__fish_vault_using_subcommand add" -l backend -d 'Secret backend to use' -r -f -a "file\t'Encrypted files in --file-dir, one per item (aws-vault\'s format)'"
complete -c vault -n "__fish_vault_using_subcommand add" -l prompt -d 'Prompt driver to use for passphrases and MFA codes' -r -f -a "terminal\t'Ask on the controlling terminal (/dev/tty)'"
complete -c vault -n "__fish_vault_using_subcommand add" -l file-dir -d 'Directory of the encrypted file backend [default: ~/.awsvault/keys]' -r -F
complete -c vault -n "__fish_vault_using_subcommand add" -l env -d 'Read the credentials from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY'
complete -c vault -n "__fish_vault_using_subcommand add" -l no-add-config -d 'Do not touch the AWS config file'
complete -c vault -n "__fish_vault_using_subcommand add" -l debug -d 'Show debugging output on stderr (never secrets)'
complete -c vault -n "__fish_vault_using_subcommand add" -l help-long -d 'Same as --help (aws-vault\'s name for the long help)'
complete -c vault -n "__fish_vault_using_subcommand add" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vault -n "__fish_vault_using_subcommand add" -s V -l version -d 'Print version'
complete -c vault -n "__fish_vault_using_subcommand remove" -l backend -d 'Secret backend to use' -r -f -a "file\t'Encrypted files in --file-dir, one per item (aws-vault\'s format)'"
complete -c vault -n "__fish_vault_using_subcommand remove" -l prompt -d 'Prompt driver to use for passphrases and MFA codes' -r -f -a "terminal\t'Ask on the controlling terminal (/dev/tty)'"
complete -c vault -n "__fish_vault_using_subcommand remove" -l file-dir -d 'Directory of the encrypted file backend [default: ~/.awsvault/keys]' -r -F
complete -c vault -n "__fish_vault_using_subcommand remove" -s f -l force -d 'Do not ask for confirmation'
complete -c vault -n "__fish_vault_using_subcommand remove" -s s -l sessions-only -d 'Only remove the profile\'s cached sessions, keep its credentials'
complete -c vault -n "__fish_vault_using_subcommand remove" -l debug -d 'Show debugging output on stderr (never secrets)'
complete -c vault -n "__fish_vault_using_subcommand remove" -l help-long -d 'Same as --help (aws-vault\'s name for the long help)'
complete -c vault -n "__fish_vault_using_subcommand remove" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vault -n "__fish_vault_using_subcommand remove" -s V -l version -d 'Print version'
complete -c vault -n "__fish_vault_using_subcommand rm" -l backend -d 'Secret backend to use' -r -f -a "file\t'Encrypted files in --file-dir, one per item (aws-vault\'s format)'"
complete -c vault -n "__fish_vault_using_subcommand rm" -l prompt -d 'Prompt driver to use for passphrases and MFA codes' -r -f -a "terminal\t'Ask on the controlling terminal (/dev/tty)'"
complete -c vault -n "__fish_vault_using_subcommand rm" -l file-dir -d 'Directory of the encrypted file backend [default: ~/.awsvault/keys]' -r -F
complete -c vault -n "__fish_vault_using_subcommand rm" -s f -l force -d 'Do not ask for confirmation'
complete -c vault -n "__fish_vault_using_subcommand rm" -s s -l sessions-only -d 'Only remove the profile\'s cached sessions, keep its credentials'
complete -c vault -n "__fish_vault_using_subcommand rm" -l debug -d 'Show debugging output on stderr (never secrets)'
complete -c vault -n "__fish_vault_using_subcommand rm" -l help-long -d 'Same as --help (aws-vault\'s name for the long help)'
complete -c vault -n "__fish_vault_using_subcommand rm" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vault -n "__fish_vault_using_subcommand rm" -s V -l version -d 'Print version'
complete -c vault -n "__fish_vault_using_subcommand list" -l backend -d 'Secret backend to use' -r -f -a "file\t'Encrypted files in --file-dir, one per item (aws-vault\'s format)'"
complete -c vault -n "__fish_vault_using_subcommand list" -l prompt -d 'Prompt driver to use for passphrases and MFA codes' -r -f -a "terminal\t'Ask on the controlling terminal (/dev/tty)'"
complete -c vault -n "__fish_vault_using_subcommand list" -l file-dir -d 'Directory of the encrypted file backend [default: ~/.awsvault/keys]' -r -F
complete -c vault -n "__fish_vault_using_subcommand list" -l profiles -d 'Show only the profile names'
complete -c vault -n "__fish_vault_using_subcommand list" -l credentials -d 'Show only the names of stored credentials'
complete -c vault -n "__fish_vault_using_subcommand list" -l sessions -d 'Show only the names of cached sessions'
complete -c vault -n "__fish_vault_using_subcommand list" -l debug -d 'Show debugging output on stderr (never secrets)'
complete -c vault -n "__fish_vault_using_subcommand list" -l help-long -d 'Same as --help (aws-vault\'s name for the long help)'
complete -c vault -n "__fish_vault_using_subcommand list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vault -n "__fish_vault_using_subcommand list" -s V -l version -d 'Print version'
complete -c vault -n "__fish_vault_using_subcommand ls" -l backend -d 'Secret backend to use' -r -f -a "file\t'Encrypted files in --file-dir, one per item (aws-vault\'s format)'"
complete -c vault -n "__fish_vault_using_subcommand ls" -l prompt -d 'Prompt driver to use for passphrases and MFA codes' -r -f -a "terminal\t'Ask on the controlling terminal (/dev/tty)'"
complete -c vault -n "__fish_vault_using_subcommand ls" -l file-dir -d 'Directory of the encrypted file backend [default: ~/.awsvault/keys]' -r -F
complete -c vault -n "__fish_vault_using_subcommand ls" -l profiles -d 'Show only the profile names'
complete -c vault -n "__fish_vault_using_subcommand ls" -l credentials -d 'Show only the names of stored credentials'
complete -c vault -n "__fish_vault_using_subcommand ls" -l sessions -d 'Show only the names of cached sessions'
complete -c vault -n "__fish_vault_using_subcommand ls" -l debug -d 'Show debugging output on stderr (never secrets)'
complete -c vault -n "__fish_vault_using_subcommand ls" -l help-long -d 'Same as --help (aws-vault\'s name for the long help)'
complete -c vault -n "__fish_vault_using_subcommand ls" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vault -n "__fish_vault_using_subcommand ls" -s V -l version -d 'Print version'
complete -c vault -n "__fish_vault_using_subcommand clear" -l backend -d 'Secret backend to use' -r -f -a "file\t'Encrypted files in --file-dir, one per item (aws-vault\'s format)'"
complete -c vault -n "__fish_vault_using_subcommand clear" -l prompt -d 'Prompt driver to use for passphrases and MFA codes' -r -f -a "terminal\t'Ask on the controlling terminal (/dev/tty)'"
complete -c vault -n "__fish_vault_using_subcommand clear" -l file-dir -d 'Directory of the encrypted file backend [default: ~/.awsvault/keys]' -r -F
complete -c vault -n "__fish_vault_using_subcommand clear" -l debug -d 'Show debugging output on stderr (never secrets)'
complete -c vault -n "__fish_vault_using_subcommand clear" -l help-long -d 'Same as --help (aws-vault\'s name for the long help)'
complete -c vault -n "__fish_vault_using_subcommand clear" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vault -n "__fish_vault_using_subcommand clear" -s V -l version -d 'Print version'
complete -c vault -n "__fish_vault_using_subcommand exec" -s d -l duration -d 'Duration of the temporary credentials (Go style: 1h, 90m, 12h); sets every TTL' -r
complete -c vault -n "__fish_vault_using_subcommand exec" -l region -d 'The AWS region for the credentials and the child\'s AWS_REGION' -r
complete -c vault -n "__fish_vault_using_subcommand exec" -s t -l mfa-token -d 'The MFA code to use instead of asking for one' -r
complete -c vault -n "__fish_vault_using_subcommand exec" -l mfa-serial-override -d 'The MFA device serial (ARN) to use instead of mfa_serial [env: AWS_MFA_SERIAL]' -r
complete -c vault -n "__fish_vault_using_subcommand exec" -l session-ttl -d 'How long the GetSessionToken session lasts [env: AWS_SESSION_TOKEN_TTL]' -r
complete -c vault -n "__fish_vault_using_subcommand exec" -l assume-role-ttl -d 'How long assumed-role credentials last [env: AWS_ASSUME_ROLE_TTL]' -r
complete -c vault -n "__fish_vault_using_subcommand exec" -l backend -d 'Secret backend to use' -r -f -a "file\t'Encrypted files in --file-dir, one per item (aws-vault\'s format)'"
complete -c vault -n "__fish_vault_using_subcommand exec" -l prompt -d 'Prompt driver to use for passphrases and MFA codes' -r -f -a "terminal\t'Ask on the controlling terminal (/dev/tty)'"
complete -c vault -n "__fish_vault_using_subcommand exec" -l file-dir -d 'Directory of the encrypted file backend [default: ~/.awsvault/keys]' -r -F
complete -c vault -n "__fish_vault_using_subcommand exec" -s n -l no-session -d 'Skip GetSessionToken: use the long-term keys directly, or assume the role straight from them'
complete -c vault -n "__fish_vault_using_subcommand exec" -s j -l json -d 'Print the credentials as credential_process JSON instead of running a command'
complete -c vault -n "__fish_vault_using_subcommand exec" -l debug -d 'Show debugging output on stderr (never secrets)'
complete -c vault -n "__fish_vault_using_subcommand exec" -l help-long -d 'Same as --help (aws-vault\'s name for the long help)'
complete -c vault -n "__fish_vault_using_subcommand exec" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vault -n "__fish_vault_using_subcommand exec" -s V -l version -d 'Print version'
complete -c vault -n "__fish_vault_using_subcommand export" -s d -l duration -d 'Duration of the temporary credentials (Go style: 1h, 90m, 12h); sets every TTL' -r
complete -c vault -n "__fish_vault_using_subcommand export" -l region -d 'The AWS region for the credentials and the child\'s AWS_REGION' -r
complete -c vault -n "__fish_vault_using_subcommand export" -s t -l mfa-token -d 'The MFA code to use instead of asking for one' -r
complete -c vault -n "__fish_vault_using_subcommand export" -l mfa-serial-override -d 'The MFA device serial (ARN) to use instead of mfa_serial [env: AWS_MFA_SERIAL]' -r
complete -c vault -n "__fish_vault_using_subcommand export" -l session-ttl -d 'How long the GetSessionToken session lasts [env: AWS_SESSION_TOKEN_TTL]' -r
complete -c vault -n "__fish_vault_using_subcommand export" -l assume-role-ttl -d 'How long assumed-role credentials last [env: AWS_ASSUME_ROLE_TTL]' -r
complete -c vault -n "__fish_vault_using_subcommand export" -l format -d 'Output format' -r -f -a "env\t'KEY=value lines'
export-env\t'export KEY=\'value\' lines for POSIX shells'
json\t'credential_process JSON'
ini\t'an ~/.aws/credentials section'"
complete -c vault -n "__fish_vault_using_subcommand export" -l backend -d 'Secret backend to use' -r -f -a "file\t'Encrypted files in --file-dir, one per item (aws-vault\'s format)'"
complete -c vault -n "__fish_vault_using_subcommand export" -l prompt -d 'Prompt driver to use for passphrases and MFA codes' -r -f -a "terminal\t'Ask on the controlling terminal (/dev/tty)'"
complete -c vault -n "__fish_vault_using_subcommand export" -l file-dir -d 'Directory of the encrypted file backend [default: ~/.awsvault/keys]' -r -F
complete -c vault -n "__fish_vault_using_subcommand export" -s n -l no-session -d 'Skip GetSessionToken: use the long-term keys directly, or assume the role straight from them'
complete -c vault -n "__fish_vault_using_subcommand export" -l debug -d 'Show debugging output on stderr (never secrets)'
complete -c vault -n "__fish_vault_using_subcommand export" -l help-long -d 'Same as --help (aws-vault\'s name for the long help)'
complete -c vault -n "__fish_vault_using_subcommand export" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vault -n "__fish_vault_using_subcommand export" -s V -l version -d 'Print version'
complete -c vault -n "__fish_vault_using_subcommand completions" -l backend -d 'Secret backend to use' -r -f -a "file\t'Encrypted files in --file-dir, one per item (aws-vault\'s format)'"
complete -c vault -n "__fish_vault_using_subcommand completions" -l prompt -d 'Prompt driver to use for passphrases and MFA codes' -r -f -a "terminal\t'Ask on the controlling terminal (/dev/tty)'"
complete -c vault -n "__fish_vault_using_subcommand completions" -l file-dir -d 'Directory of the encrypted file backend [default: ~/.awsvault/keys]' -r -F
complete -c vault -n "__fish_vault_using_subcommand completions" -l debug -d 'Show debugging output on stderr (never secrets)'
complete -c vault -n "__fish_vault_using_subcommand completions" -l help-long -d 'Same as --help (aws-vault\'s name for the long help)'
complete -c vault -n "__fish_vault_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vault -n "__fish_vault_using_subcommand completions" -s V -l version -d 'Print version'
complete -c vault -n "__fish_vault_using_subcommand help; and not __fish_seen_subcommand_from add remove list clear exec export completions help" -f -a "add" -d 'Add credentials to the secure keystore'
complete -c vault -n "__fish_vault_using_subcommand help; and not __fish_seen_subcommand_from add remove list clear exec export completions help" -f -a "remove" -d 'Remove credentials from the secure keystore'
complete -c vault -n "__fish_vault_using_subcommand help; and not __fish_seen_subcommand_from add remove list clear exec export completions help" -f -a "list" -d 'List profiles, along with their credentials and sessions'
complete -c vault -n "__fish_vault_using_subcommand help; and not __fish_seen_subcommand_from add remove list clear exec export completions help" -f -a "clear" -d 'Clear temporary credentials from the secure keystore'
complete -c vault -n "__fish_vault_using_subcommand help; and not __fish_seen_subcommand_from add remove list clear exec export completions help" -f -a "exec" -d 'Execute a command with AWS credentials'
complete -c vault -n "__fish_vault_using_subcommand help; and not __fish_seen_subcommand_from add remove list clear exec export completions help" -f -a "export" -d 'Export AWS credentials'
complete -c vault -n "__fish_vault_using_subcommand help; and not __fish_seen_subcommand_from add remove list clear exec export completions help" -f -a "completions" -d 'Print a shell completion script'
complete -c vault -n "__fish_vault_using_subcommand help; and not __fish_seen_subcommand_from add remove list clear exec export completions help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
