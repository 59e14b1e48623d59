# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_vault_global_optspecs
    string join \n debug backend= prompt= file-dir= secret-service-collection= pass-dir= pass-cmd= pass-prefix= keychain= help-long h/help V/version
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

complete -c vault -n "__fish_vault_needs_command" -l backend -d 'Secret backend to use' -r -f -a "file\t'Encrypted files in --file-dir, one per item (aws-vault\'s format)'
secret-service\t'The desktop keyring over D-Bus (GNOME Keyring, KWallet, KeePassXC), collection --secret-service-collection'
keyctl\t'The Linux kernel keyring: a keyring named aws-vault in the session keyring'
pass\t'The pass password store (gpg), under --pass-dir and --pass-prefix'
keychain\t'The macOS keychain (not available on this system)'
kwallet\t'KDE Wallet\'s own API (not available; use secret-service, which KWallet also serves)'
wincred\t'The Windows Credential Manager (not available on this system)'"
complete -c vault -n "__fish_vault_needs_command" -l prompt -d 'Prompt driver to use for passphrases and MFA codes' -r -f -a "terminal\t'Ask on the controlling terminal (/dev/tty)'"
complete -c vault -n "__fish_vault_needs_command" -l file-dir -d 'Directory of the encrypted file backend [default: ~/.awsvault/keys]' -r -F
complete -c vault -n "__fish_vault_needs_command" -l secret-service-collection -d 'Name of the secret-service collection to use' -r
complete -c vault -n "__fish_vault_needs_command" -l pass-dir -d 'Directory of the pass password store [default: $PASSWORD_STORE_DIR or ~/.password-store]' -r -F
complete -c vault -n "__fish_vault_needs_command" -l pass-cmd -d 'Name of the pass program' -r
complete -c vault -n "__fish_vault_needs_command" -l pass-prefix -d 'Folder inside the pass store that holds vault\'s entries' -r
complete -c vault -n "__fish_vault_needs_command" -l keychain -d 'Name of the macOS keychain (keychain backend only, which needs macOS)' -r
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
complete -c vault -n "__fish_vault_needs_command" -f -a "login" -d 'Open the AWS console, signed in with PROFILE\'s credentials'
complete -c vault -n "__fish_vault_needs_command" -f -a "rotate" -d 'Rotate the access key stored for PROFILE'
complete -c vault -n "__fish_vault_needs_command" -f -a "completions" -d 'Print a shell completion script'
complete -c vault -n "__fish_vault_needs_command" -f -a "migrate" -d 'Copy long-term credentials from one backend to another'
complete -c vault -n "__fish_vault_needs_command" -f -a "hook" -d 'Print the shell integration script'
complete -c vault -n "__fish_vault_needs_command" -f -a "hook-env"
complete -c vault -n "__fish_vault_needs_command" -f -a "use" -d 'Use a profile in this shell until `vault unuse`'
complete -c vault -n "__fish_vault_needs_command" -f -a "unuse"
complete -c vault -n "__fish_vault_needs_command" -f -a "reload"
complete -c vault -n "__fish_vault_needs_command" -f -a "allow" -d 'Trust (allow) or block (deny) an .awsprofile file'
complete -c vault -n "__fish_vault_needs_command" -f -a "deny" -d 'Trust (allow) or block (deny) an .awsprofile file'
complete -c vault -n "__fish_vault_needs_command" -f -a "status" -d 'Show which profile this shell uses, and why'
complete -c vault -n "__fish_vault_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c vault -n "__fish_vault_using_subcommand add" -l add-config -d 'Add a [profile PROFILE] section to the AWS config file if it is missing' -r -f -a "true\t''
false\t''"
complete -c vault -n "__fish_vault_using_subcommand add" -l backend -d 'Secret backend to use' -r -f -a "file\t'Encrypted files in --file-dir, one per item (aws-vault\'s format)'
secret-service\t'The desktop keyring over D-Bus (GNOME Keyring, KWallet, KeePassXC), collection --secret-service-collection'
keyctl\t'The Linux kernel keyring: a keyring named aws-vault in the session keyring'
pass\t'The pass password store (gpg), under --pass-dir and --pass-prefix'
keychain\t'The macOS keychain (not available on this system)'
kwallet\t'KDE Wallet\'s own API (not available; use secret-service, which KWallet also serves)'
wincred\t'The Windows Credential Manager (not available on this system)'"
complete -c vault -n "__fish_vault_using_subcommand add" -l prompt -d 'Prompt driver to use for passphrases and MFA codes' -r -f -a "terminal\t'Ask on the controlling terminal (/dev/tty)'"
complete -c vault -n "__fish_vault_using_subcommand add" -l file-dir -d 'Directory of the encrypted file backend [default: ~/.awsvault/keys]' -r -F
complete -c vault -n "__fish_vault_using_subcommand add" -l secret-service-collection -d 'Name of the secret-service collection to use' -r
complete -c vault -n "__fish_vault_using_subcommand add" -l pass-dir -d 'Directory of the pass password store [default: $PASSWORD_STORE_DIR or ~/.password-store]' -r -F
complete -c vault -n "__fish_vault_using_subcommand add" -l pass-cmd -d 'Name of the pass program' -r
complete -c vault -n "__fish_vault_using_subcommand add" -l pass-prefix -d 'Folder inside the pass store that holds vault\'s entries' -r
complete -c vault -n "__fish_vault_using_subcommand add" -l keychain -d 'Name of the macOS keychain (keychain backend only, which needs macOS)' -r
complete -c vault -n "__fish_vault_using_subcommand add" -l env -d 'Read the credentials from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY'
complete -c vault -n "__fish_vault_using_subcommand add" -l no-add-config -d 'Do not touch the AWS config file'
complete -c vault -n "__fish_vault_using_subcommand add" -l debug -d 'Show debugging output on stderr (never secrets)'
complete -c vault -n "__fish_vault_using_subcommand add" -l help-long -d 'Same as --help (aws-vault\'s name for the long help)'
complete -c vault -n "__fish_vault_using_subcommand add" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vault -n "__fish_vault_using_subcommand add" -s V -l version -d 'Print version'
complete -c vault -n "__fish_vault_using_subcommand remove" -l backend -d 'Secret backend to use' -r -f -a "file\t'Encrypted files in --file-dir, one per item (aws-vault\'s format)'
secret-service\t'The desktop keyring over D-Bus (GNOME Keyring, KWallet, KeePassXC), collection --secret-service-collection'
keyctl\t'The Linux kernel keyring: a keyring named aws-vault in the session keyring'
pass\t'The pass password store (gpg), under --pass-dir and --pass-prefix'
keychain\t'The macOS keychain (not available on this system)'
kwallet\t'KDE Wallet\'s own API (not available; use secret-service, which KWallet also serves)'
wincred\t'The Windows Credential Manager (not available on this system)'"
complete -c vault -n "__fish_vault_using_subcommand remove" -l prompt -d 'Prompt driver to use for passphrases and MFA codes' -r -f -a "terminal\t'Ask on the controlling terminal (/dev/tty)'"
complete -c vault -n "__fish_vault_using_subcommand remove" -l file-dir -d 'Directory of the encrypted file backend [default: ~/.awsvault/keys]' -r -F
complete -c vault -n "__fish_vault_using_subcommand remove" -l secret-service-collection -d 'Name of the secret-service collection to use' -r
complete -c vault -n "__fish_vault_using_subcommand remove" -l pass-dir -d 'Directory of the pass password store [default: $PASSWORD_STORE_DIR or ~/.password-store]' -r -F
complete -c vault -n "__fish_vault_using_subcommand remove" -l pass-cmd -d 'Name of the pass program' -r
complete -c vault -n "__fish_vault_using_subcommand remove" -l pass-prefix -d 'Folder inside the pass store that holds vault\'s entries' -r
complete -c vault -n "__fish_vault_using_subcommand remove" -l keychain -d 'Name of the macOS keychain (keychain backend only, which needs macOS)' -r
complete -c vault -n "__fish_vault_using_subcommand remove" -s f -l force -d 'Do not ask for confirmation'
complete -c vault -n "__fish_vault_using_subcommand remove" -s s -l sessions-only -d 'Only remove the profile\'s cached sessions, keep its credentials'
complete -c vault -n "__fish_vault_using_subcommand remove" -l debug -d 'Show debugging output on stderr (never secrets)'
complete -c vault -n "__fish_vault_using_subcommand remove" -l help-long -d 'Same as --help (aws-vault\'s name for the long help)'
complete -c vault -n "__fish_vault_using_subcommand remove" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vault -n "__fish_vault_using_subcommand remove" -s V -l version -d 'Print version'
complete -c vault -n "__fish_vault_using_subcommand rm" -l backend -d 'Secret backend to use' -r -f -a "file\t'Encrypted files in --file-dir, one per item (aws-vault\'s format)'
secret-service\t'The desktop keyring over D-Bus (GNOME Keyring, KWallet, KeePassXC), collection --secret-service-collection'
keyctl\t'The Linux kernel keyring: a keyring named aws-vault in the session keyring'
pass\t'The pass password store (gpg), under --pass-dir and --pass-prefix'
keychain\t'The macOS keychain (not available on this system)'
kwallet\t'KDE Wallet\'s own API (not available; use secret-service, which KWallet also serves)'
wincred\t'The Windows Credential Manager (not available on this system)'"
complete -c vault -n "__fish_vault_using_subcommand rm" -l prompt -d 'Prompt driver to use for passphrases and MFA codes' -r -f -a "terminal\t'Ask on the controlling terminal (/dev/tty)'"
complete -c vault -n "__fish_vault_using_subcommand rm" -l file-dir -d 'Directory of the encrypted file backend [default: ~/.awsvault/keys]' -r -F
complete -c vault -n "__fish_vault_using_subcommand rm" -l secret-service-collection -d 'Name of the secret-service collection to use' -r
complete -c vault -n "__fish_vault_using_subcommand rm" -l pass-dir -d 'Directory of the pass password store [default: $PASSWORD_STORE_DIR or ~/.password-store]' -r -F
complete -c vault -n "__fish_vault_using_subcommand rm" -l pass-cmd -d 'Name of the pass program' -r
complete -c vault -n "__fish_vault_using_subcommand rm" -l pass-prefix -d 'Folder inside the pass store that holds vault\'s entries' -r
complete -c vault -n "__fish_vault_using_subcommand rm" -l keychain -d 'Name of the macOS keychain (keychain backend only, which needs macOS)' -r
complete -c vault -n "__fish_vault_using_subcommand rm" -s f -l force -d 'Do not ask for confirmation'
complete -c vault -n "__fish_vault_using_subcommand rm" -s s -l sessions-only -d 'Only remove the profile\'s cached sessions, keep its credentials'
complete -c vault -n "__fish_vault_using_subcommand rm" -l debug -d 'Show debugging output on stderr (never secrets)'
complete -c vault -n "__fish_vault_using_subcommand rm" -l help-long -d 'Same as --help (aws-vault\'s name for the long help)'
complete -c vault -n "__fish_vault_using_subcommand rm" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vault -n "__fish_vault_using_subcommand rm" -s V -l version -d 'Print version'
complete -c vault -n "__fish_vault_using_subcommand list" -l backend -d 'Secret backend to use' -r -f -a "file\t'Encrypted files in --file-dir, one per item (aws-vault\'s format)'
secret-service\t'The desktop keyring over D-Bus (GNOME Keyring, KWallet, KeePassXC), collection --secret-service-collection'
keyctl\t'The Linux kernel keyring: a keyring named aws-vault in the session keyring'
pass\t'The pass password store (gpg), under --pass-dir and --pass-prefix'
keychain\t'The macOS keychain (not available on this system)'
kwallet\t'KDE Wallet\'s own API (not available; use secret-service, which KWallet also serves)'
wincred\t'The Windows Credential Manager (not available on this system)'"
complete -c vault -n "__fish_vault_using_subcommand list" -l prompt -d 'Prompt driver to use for passphrases and MFA codes' -r -f -a "terminal\t'Ask on the controlling terminal (/dev/tty)'"
complete -c vault -n "__fish_vault_using_subcommand list" -l file-dir -d 'Directory of the encrypted file backend [default: ~/.awsvault/keys]' -r -F
complete -c vault -n "__fish_vault_using_subcommand list" -l secret-service-collection -d 'Name of the secret-service collection to use' -r
complete -c vault -n "__fish_vault_using_subcommand list" -l pass-dir -d 'Directory of the pass password store [default: $PASSWORD_STORE_DIR or ~/.password-store]' -r -F
complete -c vault -n "__fish_vault_using_subcommand list" -l pass-cmd -d 'Name of the pass program' -r
complete -c vault -n "__fish_vault_using_subcommand list" -l pass-prefix -d 'Folder inside the pass store that holds vault\'s entries' -r
complete -c vault -n "__fish_vault_using_subcommand list" -l keychain -d 'Name of the macOS keychain (keychain backend only, which needs macOS)' -r
complete -c vault -n "__fish_vault_using_subcommand list" -l profiles -d 'Show only the profile names'
complete -c vault -n "__fish_vault_using_subcommand list" -l credentials -d 'Show only the names of stored credentials'
complete -c vault -n "__fish_vault_using_subcommand list" -l sessions -d 'Show only the names of cached sessions'
complete -c vault -n "__fish_vault_using_subcommand list" -l debug -d 'Show debugging output on stderr (never secrets)'
complete -c vault -n "__fish_vault_using_subcommand list" -l help-long -d 'Same as --help (aws-vault\'s name for the long help)'
complete -c vault -n "__fish_vault_using_subcommand list" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vault -n "__fish_vault_using_subcommand list" -s V -l version -d 'Print version'
complete -c vault -n "__fish_vault_using_subcommand ls" -l backend -d 'Secret backend to use' -r -f -a "file\t'Encrypted files in --file-dir, one per item (aws-vault\'s format)'
secret-service\t'The desktop keyring over D-Bus (GNOME Keyring, KWallet, KeePassXC), collection --secret-service-collection'
keyctl\t'The Linux kernel keyring: a keyring named aws-vault in the session keyring'
pass\t'The pass password store (gpg), under --pass-dir and --pass-prefix'
keychain\t'The macOS keychain (not available on this system)'
kwallet\t'KDE Wallet\'s own API (not available; use secret-service, which KWallet also serves)'
wincred\t'The Windows Credential Manager (not available on this system)'"
complete -c vault -n "__fish_vault_using_subcommand ls" -l prompt -d 'Prompt driver to use for passphrases and MFA codes' -r -f -a "terminal\t'Ask on the controlling terminal (/dev/tty)'"
complete -c vault -n "__fish_vault_using_subcommand ls" -l file-dir -d 'Directory of the encrypted file backend [default: ~/.awsvault/keys]' -r -F
complete -c vault -n "__fish_vault_using_subcommand ls" -l secret-service-collection -d 'Name of the secret-service collection to use' -r
complete -c vault -n "__fish_vault_using_subcommand ls" -l pass-dir -d 'Directory of the pass password store [default: $PASSWORD_STORE_DIR or ~/.password-store]' -r -F
complete -c vault -n "__fish_vault_using_subcommand ls" -l pass-cmd -d 'Name of the pass program' -r
complete -c vault -n "__fish_vault_using_subcommand ls" -l pass-prefix -d 'Folder inside the pass store that holds vault\'s entries' -r
complete -c vault -n "__fish_vault_using_subcommand ls" -l keychain -d 'Name of the macOS keychain (keychain backend only, which needs macOS)' -r
complete -c vault -n "__fish_vault_using_subcommand ls" -l profiles -d 'Show only the profile names'
complete -c vault -n "__fish_vault_using_subcommand ls" -l credentials -d 'Show only the names of stored credentials'
complete -c vault -n "__fish_vault_using_subcommand ls" -l sessions -d 'Show only the names of cached sessions'
complete -c vault -n "__fish_vault_using_subcommand ls" -l debug -d 'Show debugging output on stderr (never secrets)'
complete -c vault -n "__fish_vault_using_subcommand ls" -l help-long -d 'Same as --help (aws-vault\'s name for the long help)'
complete -c vault -n "__fish_vault_using_subcommand ls" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vault -n "__fish_vault_using_subcommand ls" -s V -l version -d 'Print version'
complete -c vault -n "__fish_vault_using_subcommand clear" -l backend -d 'Secret backend to use' -r -f -a "file\t'Encrypted files in --file-dir, one per item (aws-vault\'s format)'
secret-service\t'The desktop keyring over D-Bus (GNOME Keyring, KWallet, KeePassXC), collection --secret-service-collection'
keyctl\t'The Linux kernel keyring: a keyring named aws-vault in the session keyring'
pass\t'The pass password store (gpg), under --pass-dir and --pass-prefix'
keychain\t'The macOS keychain (not available on this system)'
kwallet\t'KDE Wallet\'s own API (not available; use secret-service, which KWallet also serves)'
wincred\t'The Windows Credential Manager (not available on this system)'"
complete -c vault -n "__fish_vault_using_subcommand clear" -l prompt -d 'Prompt driver to use for passphrases and MFA codes' -r -f -a "terminal\t'Ask on the controlling terminal (/dev/tty)'"
complete -c vault -n "__fish_vault_using_subcommand clear" -l file-dir -d 'Directory of the encrypted file backend [default: ~/.awsvault/keys]' -r -F
complete -c vault -n "__fish_vault_using_subcommand clear" -l secret-service-collection -d 'Name of the secret-service collection to use' -r
complete -c vault -n "__fish_vault_using_subcommand clear" -l pass-dir -d 'Directory of the pass password store [default: $PASSWORD_STORE_DIR or ~/.password-store]' -r -F
complete -c vault -n "__fish_vault_using_subcommand clear" -l pass-cmd -d 'Name of the pass program' -r
complete -c vault -n "__fish_vault_using_subcommand clear" -l pass-prefix -d 'Folder inside the pass store that holds vault\'s entries' -r
complete -c vault -n "__fish_vault_using_subcommand clear" -l keychain -d 'Name of the macOS keychain (keychain backend only, which needs macOS)' -r
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
complete -c vault -n "__fish_vault_using_subcommand exec" -l ec2-server-addr -d 'Where --ec2-server listens: the EC2 address, which needs a root-side alias on lo (see the README), or a loopback address, which is passed on as AWS_EC2_METADATA_SERVICE_ENDPOINT [default: 169.254.169.254:80]' -r
complete -c vault -n "__fish_vault_using_subcommand exec" -l backend -d 'Secret backend to use' -r -f -a "file\t'Encrypted files in --file-dir, one per item (aws-vault\'s format)'
secret-service\t'The desktop keyring over D-Bus (GNOME Keyring, KWallet, KeePassXC), collection --secret-service-collection'
keyctl\t'The Linux kernel keyring: a keyring named aws-vault in the session keyring'
pass\t'The pass password store (gpg), under --pass-dir and --pass-prefix'
keychain\t'The macOS keychain (not available on this system)'
kwallet\t'KDE Wallet\'s own API (not available; use secret-service, which KWallet also serves)'
wincred\t'The Windows Credential Manager (not available on this system)'"
complete -c vault -n "__fish_vault_using_subcommand exec" -l prompt -d 'Prompt driver to use for passphrases and MFA codes' -r -f -a "terminal\t'Ask on the controlling terminal (/dev/tty)'"
complete -c vault -n "__fish_vault_using_subcommand exec" -l file-dir -d 'Directory of the encrypted file backend [default: ~/.awsvault/keys]' -r -F
complete -c vault -n "__fish_vault_using_subcommand exec" -l secret-service-collection -d 'Name of the secret-service collection to use' -r
complete -c vault -n "__fish_vault_using_subcommand exec" -l pass-dir -d 'Directory of the pass password store [default: $PASSWORD_STORE_DIR or ~/.password-store]' -r -F
complete -c vault -n "__fish_vault_using_subcommand exec" -l pass-cmd -d 'Name of the pass program' -r
complete -c vault -n "__fish_vault_using_subcommand exec" -l pass-prefix -d 'Folder inside the pass store that holds vault\'s entries' -r
complete -c vault -n "__fish_vault_using_subcommand exec" -l keychain -d 'Name of the macOS keychain (keychain backend only, which needs macOS)' -r
complete -c vault -n "__fish_vault_using_subcommand exec" -s n -l no-session -d 'Skip GetSessionToken: use the long-term keys directly, or assume the role straight from them'
complete -c vault -n "__fish_vault_using_subcommand exec" -s j -l json -d 'Print the credentials as credential_process JSON instead of running a command'
complete -c vault -n "__fish_vault_using_subcommand exec" -s s -l ecs-server -l server -d 'Serve renewing credentials to COMMAND from a local ECS credential server (127.0.0.1, random port, random token) instead of putting keys in its environment'
complete -c vault -n "__fish_vault_using_subcommand exec" -l ec2-server -d 'Serve renewing credentials to COMMAND from an emulated EC2 instance metadata service (IMDSv1 and IMDSv2) on --ec2-server-addr'
complete -c vault -n "__fish_vault_using_subcommand exec" -l lazy -d 'With a server: get the first credentials when they are first asked for, not before COMMAND starts'
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
complete -c vault -n "__fish_vault_using_subcommand export" -l backend -d 'Secret backend to use' -r -f -a "file\t'Encrypted files in --file-dir, one per item (aws-vault\'s format)'
secret-service\t'The desktop keyring over D-Bus (GNOME Keyring, KWallet, KeePassXC), collection --secret-service-collection'
keyctl\t'The Linux kernel keyring: a keyring named aws-vault in the session keyring'
pass\t'The pass password store (gpg), under --pass-dir and --pass-prefix'
keychain\t'The macOS keychain (not available on this system)'
kwallet\t'KDE Wallet\'s own API (not available; use secret-service, which KWallet also serves)'
wincred\t'The Windows Credential Manager (not available on this system)'"
complete -c vault -n "__fish_vault_using_subcommand export" -l prompt -d 'Prompt driver to use for passphrases and MFA codes' -r -f -a "terminal\t'Ask on the controlling terminal (/dev/tty)'"
complete -c vault -n "__fish_vault_using_subcommand export" -l file-dir -d 'Directory of the encrypted file backend [default: ~/.awsvault/keys]' -r -F
complete -c vault -n "__fish_vault_using_subcommand export" -l secret-service-collection -d 'Name of the secret-service collection to use' -r
complete -c vault -n "__fish_vault_using_subcommand export" -l pass-dir -d 'Directory of the pass password store [default: $PASSWORD_STORE_DIR or ~/.password-store]' -r -F
complete -c vault -n "__fish_vault_using_subcommand export" -l pass-cmd -d 'Name of the pass program' -r
complete -c vault -n "__fish_vault_using_subcommand export" -l pass-prefix -d 'Folder inside the pass store that holds vault\'s entries' -r
complete -c vault -n "__fish_vault_using_subcommand export" -l keychain -d 'Name of the macOS keychain (keychain backend only, which needs macOS)' -r
complete -c vault -n "__fish_vault_using_subcommand export" -s n -l no-session -d 'Skip GetSessionToken: use the long-term keys directly, or assume the role straight from them'
complete -c vault -n "__fish_vault_using_subcommand export" -l debug -d 'Show debugging output on stderr (never secrets)'
complete -c vault -n "__fish_vault_using_subcommand export" -l help-long -d 'Same as --help (aws-vault\'s name for the long help)'
complete -c vault -n "__fish_vault_using_subcommand export" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vault -n "__fish_vault_using_subcommand export" -s V -l version -d 'Print version'
complete -c vault -n "__fish_vault_using_subcommand login" -s d -l duration -d 'Duration of the temporary credentials (Go style: 1h, 90m, 12h); sets every TTL' -r
complete -c vault -n "__fish_vault_using_subcommand login" -l region -d 'The AWS region for the credentials and the child\'s AWS_REGION' -r
complete -c vault -n "__fish_vault_using_subcommand login" -s t -l mfa-token -d 'The MFA code to use instead of asking for one' -r
complete -c vault -n "__fish_vault_using_subcommand login" -l mfa-serial-override -d 'The MFA device serial (ARN) to use instead of mfa_serial [env: AWS_MFA_SERIAL]' -r
complete -c vault -n "__fish_vault_using_subcommand login" -l session-ttl -d 'How long the GetSessionToken session lasts [env: AWS_SESSION_TOKEN_TTL]' -r
complete -c vault -n "__fish_vault_using_subcommand login" -l assume-role-ttl -d 'How long assumed-role credentials last [env: AWS_ASSUME_ROLE_TTL]' -r
complete -c vault -n "__fish_vault_using_subcommand login" -l federation-token-ttl -d 'How long an IAM user\'s console session lasts (GetFederationToken) [env: AWS_FEDERATION_TOKEN_TTL]' -r
complete -c vault -n "__fish_vault_using_subcommand login" -l path -d 'The console page to open, e.g. s3/home or ec2/home#Instances' -r
complete -c vault -n "__fish_vault_using_subcommand login" -l backend -d 'Secret backend to use' -r -f -a "file\t'Encrypted files in --file-dir, one per item (aws-vault\'s format)'
secret-service\t'The desktop keyring over D-Bus (GNOME Keyring, KWallet, KeePassXC), collection --secret-service-collection'
keyctl\t'The Linux kernel keyring: a keyring named aws-vault in the session keyring'
pass\t'The pass password store (gpg), under --pass-dir and --pass-prefix'
keychain\t'The macOS keychain (not available on this system)'
kwallet\t'KDE Wallet\'s own API (not available; use secret-service, which KWallet also serves)'
wincred\t'The Windows Credential Manager (not available on this system)'"
complete -c vault -n "__fish_vault_using_subcommand login" -l prompt -d 'Prompt driver to use for passphrases and MFA codes' -r -f -a "terminal\t'Ask on the controlling terminal (/dev/tty)'"
complete -c vault -n "__fish_vault_using_subcommand login" -l file-dir -d 'Directory of the encrypted file backend [default: ~/.awsvault/keys]' -r -F
complete -c vault -n "__fish_vault_using_subcommand login" -l secret-service-collection -d 'Name of the secret-service collection to use' -r
complete -c vault -n "__fish_vault_using_subcommand login" -l pass-dir -d 'Directory of the pass password store [default: $PASSWORD_STORE_DIR or ~/.password-store]' -r -F
complete -c vault -n "__fish_vault_using_subcommand login" -l pass-cmd -d 'Name of the pass program' -r
complete -c vault -n "__fish_vault_using_subcommand login" -l pass-prefix -d 'Folder inside the pass store that holds vault\'s entries' -r
complete -c vault -n "__fish_vault_using_subcommand login" -l keychain -d 'Name of the macOS keychain (keychain backend only, which needs macOS)' -r
complete -c vault -n "__fish_vault_using_subcommand login" -s n -l no-session -d 'Skip GetSessionToken: use the long-term keys directly, or assume the role straight from them'
complete -c vault -n "__fish_vault_using_subcommand login" -s s -l stdout -d 'Print the sign-in URL instead of opening a browser'
complete -c vault -n "__fish_vault_using_subcommand login" -l debug -d 'Show debugging output on stderr (never secrets)'
complete -c vault -n "__fish_vault_using_subcommand login" -l help-long -d 'Same as --help (aws-vault\'s name for the long help)'
complete -c vault -n "__fish_vault_using_subcommand login" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vault -n "__fish_vault_using_subcommand login" -s V -l version -d 'Print version'
complete -c vault -n "__fish_vault_using_subcommand rotate" -l backend -d 'Secret backend to use' -r -f -a "file\t'Encrypted files in --file-dir, one per item (aws-vault\'s format)'
secret-service\t'The desktop keyring over D-Bus (GNOME Keyring, KWallet, KeePassXC), collection --secret-service-collection'
keyctl\t'The Linux kernel keyring: a keyring named aws-vault in the session keyring'
pass\t'The pass password store (gpg), under --pass-dir and --pass-prefix'
keychain\t'The macOS keychain (not available on this system)'
kwallet\t'KDE Wallet\'s own API (not available; use secret-service, which KWallet also serves)'
wincred\t'The Windows Credential Manager (not available on this system)'"
complete -c vault -n "__fish_vault_using_subcommand rotate" -l prompt -d 'Prompt driver to use for passphrases and MFA codes' -r -f -a "terminal\t'Ask on the controlling terminal (/dev/tty)'"
complete -c vault -n "__fish_vault_using_subcommand rotate" -l file-dir -d 'Directory of the encrypted file backend [default: ~/.awsvault/keys]' -r -F
complete -c vault -n "__fish_vault_using_subcommand rotate" -l secret-service-collection -d 'Name of the secret-service collection to use' -r
complete -c vault -n "__fish_vault_using_subcommand rotate" -l pass-dir -d 'Directory of the pass password store [default: $PASSWORD_STORE_DIR or ~/.password-store]' -r -F
complete -c vault -n "__fish_vault_using_subcommand rotate" -l pass-cmd -d 'Name of the pass program' -r
complete -c vault -n "__fish_vault_using_subcommand rotate" -l pass-prefix -d 'Folder inside the pass store that holds vault\'s entries' -r
complete -c vault -n "__fish_vault_using_subcommand rotate" -l keychain -d 'Name of the macOS keychain (keychain backend only, which needs macOS)' -r
complete -c vault -n "__fish_vault_using_subcommand rotate" -s n -l no-session -d 'Call IAM with the long-term keys themselves, not a session or role'
complete -c vault -n "__fish_vault_using_subcommand rotate" -l debug -d 'Show debugging output on stderr (never secrets)'
complete -c vault -n "__fish_vault_using_subcommand rotate" -l help-long -d 'Same as --help (aws-vault\'s name for the long help)'
complete -c vault -n "__fish_vault_using_subcommand rotate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vault -n "__fish_vault_using_subcommand rotate" -s V -l version -d 'Print version'
complete -c vault -n "__fish_vault_using_subcommand completions" -l backend -d 'Secret backend to use' -r -f -a "file\t'Encrypted files in --file-dir, one per item (aws-vault\'s format)'
secret-service\t'The desktop keyring over D-Bus (GNOME Keyring, KWallet, KeePassXC), collection --secret-service-collection'
keyctl\t'The Linux kernel keyring: a keyring named aws-vault in the session keyring'
pass\t'The pass password store (gpg), under --pass-dir and --pass-prefix'
keychain\t'The macOS keychain (not available on this system)'
kwallet\t'KDE Wallet\'s own API (not available; use secret-service, which KWallet also serves)'
wincred\t'The Windows Credential Manager (not available on this system)'"
complete -c vault -n "__fish_vault_using_subcommand completions" -l prompt -d 'Prompt driver to use for passphrases and MFA codes' -r -f -a "terminal\t'Ask on the controlling terminal (/dev/tty)'"
complete -c vault -n "__fish_vault_using_subcommand completions" -l file-dir -d 'Directory of the encrypted file backend [default: ~/.awsvault/keys]' -r -F
complete -c vault -n "__fish_vault_using_subcommand completions" -l secret-service-collection -d 'Name of the secret-service collection to use' -r
complete -c vault -n "__fish_vault_using_subcommand completions" -l pass-dir -d 'Directory of the pass password store [default: $PASSWORD_STORE_DIR or ~/.password-store]' -r -F
complete -c vault -n "__fish_vault_using_subcommand completions" -l pass-cmd -d 'Name of the pass program' -r
complete -c vault -n "__fish_vault_using_subcommand completions" -l pass-prefix -d 'Folder inside the pass store that holds vault\'s entries' -r
complete -c vault -n "__fish_vault_using_subcommand completions" -l keychain -d 'Name of the macOS keychain (keychain backend only, which needs macOS)' -r
complete -c vault -n "__fish_vault_using_subcommand completions" -l debug -d 'Show debugging output on stderr (never secrets)'
complete -c vault -n "__fish_vault_using_subcommand completions" -l help-long -d 'Same as --help (aws-vault\'s name for the long help)'
complete -c vault -n "__fish_vault_using_subcommand completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vault -n "__fish_vault_using_subcommand completions" -s V -l version -d 'Print version'
complete -c vault -n "__fish_vault_using_subcommand migrate" -l from -d 'The backend to copy from' -r -f -a "file\t'Encrypted files in --file-dir, one per item (aws-vault\'s format)'
secret-service\t'The desktop keyring over D-Bus (GNOME Keyring, KWallet, KeePassXC), collection --secret-service-collection'
keyctl\t'The Linux kernel keyring: a keyring named aws-vault in the session keyring'
pass\t'The pass password store (gpg), under --pass-dir and --pass-prefix'
keychain\t'The macOS keychain (not available on this system)'
kwallet\t'KDE Wallet\'s own API (not available; use secret-service, which KWallet also serves)'
wincred\t'The Windows Credential Manager (not available on this system)'"
complete -c vault -n "__fish_vault_using_subcommand migrate" -l to -d 'The backend to copy to' -r -f -a "file\t'Encrypted files in --file-dir, one per item (aws-vault\'s format)'
secret-service\t'The desktop keyring over D-Bus (GNOME Keyring, KWallet, KeePassXC), collection --secret-service-collection'
keyctl\t'The Linux kernel keyring: a keyring named aws-vault in the session keyring'
pass\t'The pass password store (gpg), under --pass-dir and --pass-prefix'
keychain\t'The macOS keychain (not available on this system)'
kwallet\t'KDE Wallet\'s own API (not available; use secret-service, which KWallet also serves)'
wincred\t'The Windows Credential Manager (not available on this system)'"
complete -c vault -n "__fish_vault_using_subcommand migrate" -l profile -d 'Only this profile (repeat for several) [default: every stored profile]' -r
complete -c vault -n "__fish_vault_using_subcommand migrate" -l backend -d 'Secret backend to use' -r -f -a "file\t'Encrypted files in --file-dir, one per item (aws-vault\'s format)'
secret-service\t'The desktop keyring over D-Bus (GNOME Keyring, KWallet, KeePassXC), collection --secret-service-collection'
keyctl\t'The Linux kernel keyring: a keyring named aws-vault in the session keyring'
pass\t'The pass password store (gpg), under --pass-dir and --pass-prefix'
keychain\t'The macOS keychain (not available on this system)'
kwallet\t'KDE Wallet\'s own API (not available; use secret-service, which KWallet also serves)'
wincred\t'The Windows Credential Manager (not available on this system)'"
complete -c vault -n "__fish_vault_using_subcommand migrate" -l prompt -d 'Prompt driver to use for passphrases and MFA codes' -r -f -a "terminal\t'Ask on the controlling terminal (/dev/tty)'"
complete -c vault -n "__fish_vault_using_subcommand migrate" -l file-dir -d 'Directory of the encrypted file backend [default: ~/.awsvault/keys]' -r -F
complete -c vault -n "__fish_vault_using_subcommand migrate" -l secret-service-collection -d 'Name of the secret-service collection to use' -r
complete -c vault -n "__fish_vault_using_subcommand migrate" -l pass-dir -d 'Directory of the pass password store [default: $PASSWORD_STORE_DIR or ~/.password-store]' -r -F
complete -c vault -n "__fish_vault_using_subcommand migrate" -l pass-cmd -d 'Name of the pass program' -r
complete -c vault -n "__fish_vault_using_subcommand migrate" -l pass-prefix -d 'Folder inside the pass store that holds vault\'s entries' -r
complete -c vault -n "__fish_vault_using_subcommand migrate" -l keychain -d 'Name of the macOS keychain (keychain backend only, which needs macOS)' -r
complete -c vault -n "__fish_vault_using_subcommand migrate" -l dry-run -d 'Say what would be copied; change nothing'
complete -c vault -n "__fish_vault_using_subcommand migrate" -l delete-source -d 'Delete each profile\'s credentials from --from once its copy is checked'
complete -c vault -n "__fish_vault_using_subcommand migrate" -l debug -d 'Show debugging output on stderr (never secrets)'
complete -c vault -n "__fish_vault_using_subcommand migrate" -l help-long -d 'Same as --help (aws-vault\'s name for the long help)'
complete -c vault -n "__fish_vault_using_subcommand migrate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vault -n "__fish_vault_using_subcommand migrate" -s V -l version -d 'Print version'
complete -c vault -n "__fish_vault_using_subcommand hook" -l cmd -d 'Name of the shell function to define' -r
complete -c vault -n "__fish_vault_using_subcommand hook" -l backend -d 'Secret backend to use' -r -f -a "file\t'Encrypted files in --file-dir, one per item (aws-vault\'s format)'
secret-service\t'The desktop keyring over D-Bus (GNOME Keyring, KWallet, KeePassXC), collection --secret-service-collection'
keyctl\t'The Linux kernel keyring: a keyring named aws-vault in the session keyring'
pass\t'The pass password store (gpg), under --pass-dir and --pass-prefix'
keychain\t'The macOS keychain (not available on this system)'
kwallet\t'KDE Wallet\'s own API (not available; use secret-service, which KWallet also serves)'
wincred\t'The Windows Credential Manager (not available on this system)'"
complete -c vault -n "__fish_vault_using_subcommand hook" -l prompt -d 'Prompt driver to use for passphrases and MFA codes' -r -f -a "terminal\t'Ask on the controlling terminal (/dev/tty)'"
complete -c vault -n "__fish_vault_using_subcommand hook" -l file-dir -d 'Directory of the encrypted file backend [default: ~/.awsvault/keys]' -r -F
complete -c vault -n "__fish_vault_using_subcommand hook" -l secret-service-collection -d 'Name of the secret-service collection to use' -r
complete -c vault -n "__fish_vault_using_subcommand hook" -l pass-dir -d 'Directory of the pass password store [default: $PASSWORD_STORE_DIR or ~/.password-store]' -r -F
complete -c vault -n "__fish_vault_using_subcommand hook" -l pass-cmd -d 'Name of the pass program' -r
complete -c vault -n "__fish_vault_using_subcommand hook" -l pass-prefix -d 'Folder inside the pass store that holds vault\'s entries' -r
complete -c vault -n "__fish_vault_using_subcommand hook" -l keychain -d 'Name of the macOS keychain (keychain backend only, which needs macOS)' -r
complete -c vault -n "__fish_vault_using_subcommand hook" -l debug -d 'Show debugging output on stderr (never secrets)'
complete -c vault -n "__fish_vault_using_subcommand hook" -l help-long -d 'Same as --help (aws-vault\'s name for the long help)'
complete -c vault -n "__fish_vault_using_subcommand hook" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vault -n "__fish_vault_using_subcommand hook" -s V -l version -d 'Print version'
complete -c vault -n "__fish_vault_using_subcommand hook-env" -l backend -d 'Secret backend to use' -r -f -a "file\t'Encrypted files in --file-dir, one per item (aws-vault\'s format)'
secret-service\t'The desktop keyring over D-Bus (GNOME Keyring, KWallet, KeePassXC), collection --secret-service-collection'
keyctl\t'The Linux kernel keyring: a keyring named aws-vault in the session keyring'
pass\t'The pass password store (gpg), under --pass-dir and --pass-prefix'
keychain\t'The macOS keychain (not available on this system)'
kwallet\t'KDE Wallet\'s own API (not available; use secret-service, which KWallet also serves)'
wincred\t'The Windows Credential Manager (not available on this system)'"
complete -c vault -n "__fish_vault_using_subcommand hook-env" -l prompt -d 'Prompt driver to use for passphrases and MFA codes' -r -f -a "terminal\t'Ask on the controlling terminal (/dev/tty)'"
complete -c vault -n "__fish_vault_using_subcommand hook-env" -l file-dir -d 'Directory of the encrypted file backend [default: ~/.awsvault/keys]' -r -F
complete -c vault -n "__fish_vault_using_subcommand hook-env" -l secret-service-collection -d 'Name of the secret-service collection to use' -r
complete -c vault -n "__fish_vault_using_subcommand hook-env" -l pass-dir -d 'Directory of the pass password store [default: $PASSWORD_STORE_DIR or ~/.password-store]' -r -F
complete -c vault -n "__fish_vault_using_subcommand hook-env" -l pass-cmd -d 'Name of the pass program' -r
complete -c vault -n "__fish_vault_using_subcommand hook-env" -l pass-prefix -d 'Folder inside the pass store that holds vault\'s entries' -r
complete -c vault -n "__fish_vault_using_subcommand hook-env" -l keychain -d 'Name of the macOS keychain (keychain backend only, which needs macOS)' -r
complete -c vault -n "__fish_vault_using_subcommand hook-env" -l force -d 'Decide again even if nothing seems to have changed (after allow/deny)'
complete -c vault -n "__fish_vault_using_subcommand hook-env" -l debug -d 'Show debugging output on stderr (never secrets)'
complete -c vault -n "__fish_vault_using_subcommand hook-env" -l help-long -d 'Same as --help (aws-vault\'s name for the long help)'
complete -c vault -n "__fish_vault_using_subcommand hook-env" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vault -n "__fish_vault_using_subcommand hook-env" -s V -l version -d 'Print version'
complete -c vault -n "__fish_vault_using_subcommand use" -l backend -d 'Secret backend to use' -r -f -a "file\t'Encrypted files in --file-dir, one per item (aws-vault\'s format)'
secret-service\t'The desktop keyring over D-Bus (GNOME Keyring, KWallet, KeePassXC), collection --secret-service-collection'
keyctl\t'The Linux kernel keyring: a keyring named aws-vault in the session keyring'
pass\t'The pass password store (gpg), under --pass-dir and --pass-prefix'
keychain\t'The macOS keychain (not available on this system)'
kwallet\t'KDE Wallet\'s own API (not available; use secret-service, which KWallet also serves)'
wincred\t'The Windows Credential Manager (not available on this system)'"
complete -c vault -n "__fish_vault_using_subcommand use" -l prompt -d 'Prompt driver to use for passphrases and MFA codes' -r -f -a "terminal\t'Ask on the controlling terminal (/dev/tty)'"
complete -c vault -n "__fish_vault_using_subcommand use" -l file-dir -d 'Directory of the encrypted file backend [default: ~/.awsvault/keys]' -r -F
complete -c vault -n "__fish_vault_using_subcommand use" -l secret-service-collection -d 'Name of the secret-service collection to use' -r
complete -c vault -n "__fish_vault_using_subcommand use" -l pass-dir -d 'Directory of the pass password store [default: $PASSWORD_STORE_DIR or ~/.password-store]' -r -F
complete -c vault -n "__fish_vault_using_subcommand use" -l pass-cmd -d 'Name of the pass program' -r
complete -c vault -n "__fish_vault_using_subcommand use" -l pass-prefix -d 'Folder inside the pass store that holds vault\'s entries' -r
complete -c vault -n "__fish_vault_using_subcommand use" -l keychain -d 'Name of the macOS keychain (keychain backend only, which needs macOS)' -r
complete -c vault -n "__fish_vault_using_subcommand use" -l debug -d 'Show debugging output on stderr (never secrets)'
complete -c vault -n "__fish_vault_using_subcommand use" -l help-long -d 'Same as --help (aws-vault\'s name for the long help)'
complete -c vault -n "__fish_vault_using_subcommand use" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vault -n "__fish_vault_using_subcommand use" -s V -l version -d 'Print version'
complete -c vault -n "__fish_vault_using_subcommand unuse" -l backend -d 'Secret backend to use' -r -f -a "file\t'Encrypted files in --file-dir, one per item (aws-vault\'s format)'
secret-service\t'The desktop keyring over D-Bus (GNOME Keyring, KWallet, KeePassXC), collection --secret-service-collection'
keyctl\t'The Linux kernel keyring: a keyring named aws-vault in the session keyring'
pass\t'The pass password store (gpg), under --pass-dir and --pass-prefix'
keychain\t'The macOS keychain (not available on this system)'
kwallet\t'KDE Wallet\'s own API (not available; use secret-service, which KWallet also serves)'
wincred\t'The Windows Credential Manager (not available on this system)'"
complete -c vault -n "__fish_vault_using_subcommand unuse" -l prompt -d 'Prompt driver to use for passphrases and MFA codes' -r -f -a "terminal\t'Ask on the controlling terminal (/dev/tty)'"
complete -c vault -n "__fish_vault_using_subcommand unuse" -l file-dir -d 'Directory of the encrypted file backend [default: ~/.awsvault/keys]' -r -F
complete -c vault -n "__fish_vault_using_subcommand unuse" -l secret-service-collection -d 'Name of the secret-service collection to use' -r
complete -c vault -n "__fish_vault_using_subcommand unuse" -l pass-dir -d 'Directory of the pass password store [default: $PASSWORD_STORE_DIR or ~/.password-store]' -r -F
complete -c vault -n "__fish_vault_using_subcommand unuse" -l pass-cmd -d 'Name of the pass program' -r
complete -c vault -n "__fish_vault_using_subcommand unuse" -l pass-prefix -d 'Folder inside the pass store that holds vault\'s entries' -r
complete -c vault -n "__fish_vault_using_subcommand unuse" -l keychain -d 'Name of the macOS keychain (keychain backend only, which needs macOS)' -r
complete -c vault -n "__fish_vault_using_subcommand unuse" -l debug -d 'Show debugging output on stderr (never secrets)'
complete -c vault -n "__fish_vault_using_subcommand unuse" -l help-long -d 'Same as --help (aws-vault\'s name for the long help)'
complete -c vault -n "__fish_vault_using_subcommand unuse" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vault -n "__fish_vault_using_subcommand unuse" -s V -l version -d 'Print version'
complete -c vault -n "__fish_vault_using_subcommand reload" -l backend -d 'Secret backend to use' -r -f -a "file\t'Encrypted files in --file-dir, one per item (aws-vault\'s format)'
secret-service\t'The desktop keyring over D-Bus (GNOME Keyring, KWallet, KeePassXC), collection --secret-service-collection'
keyctl\t'The Linux kernel keyring: a keyring named aws-vault in the session keyring'
pass\t'The pass password store (gpg), under --pass-dir and --pass-prefix'
keychain\t'The macOS keychain (not available on this system)'
kwallet\t'KDE Wallet\'s own API (not available; use secret-service, which KWallet also serves)'
wincred\t'The Windows Credential Manager (not available on this system)'"
complete -c vault -n "__fish_vault_using_subcommand reload" -l prompt -d 'Prompt driver to use for passphrases and MFA codes' -r -f -a "terminal\t'Ask on the controlling terminal (/dev/tty)'"
complete -c vault -n "__fish_vault_using_subcommand reload" -l file-dir -d 'Directory of the encrypted file backend [default: ~/.awsvault/keys]' -r -F
complete -c vault -n "__fish_vault_using_subcommand reload" -l secret-service-collection -d 'Name of the secret-service collection to use' -r
complete -c vault -n "__fish_vault_using_subcommand reload" -l pass-dir -d 'Directory of the pass password store [default: $PASSWORD_STORE_DIR or ~/.password-store]' -r -F
complete -c vault -n "__fish_vault_using_subcommand reload" -l pass-cmd -d 'Name of the pass program' -r
complete -c vault -n "__fish_vault_using_subcommand reload" -l pass-prefix -d 'Folder inside the pass store that holds vault\'s entries' -r
complete -c vault -n "__fish_vault_using_subcommand reload" -l keychain -d 'Name of the macOS keychain (keychain backend only, which needs macOS)' -r
complete -c vault -n "__fish_vault_using_subcommand reload" -l debug -d 'Show debugging output on stderr (never secrets)'
complete -c vault -n "__fish_vault_using_subcommand reload" -l help-long -d 'Same as --help (aws-vault\'s name for the long help)'
complete -c vault -n "__fish_vault_using_subcommand reload" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vault -n "__fish_vault_using_subcommand reload" -s V -l version -d 'Print version'
complete -c vault -n "__fish_vault_using_subcommand allow" -l backend -d 'Secret backend to use' -r -f -a "file\t'Encrypted files in --file-dir, one per item (aws-vault\'s format)'
secret-service\t'The desktop keyring over D-Bus (GNOME Keyring, KWallet, KeePassXC), collection --secret-service-collection'
keyctl\t'The Linux kernel keyring: a keyring named aws-vault in the session keyring'
pass\t'The pass password store (gpg), under --pass-dir and --pass-prefix'
keychain\t'The macOS keychain (not available on this system)'
kwallet\t'KDE Wallet\'s own API (not available; use secret-service, which KWallet also serves)'
wincred\t'The Windows Credential Manager (not available on this system)'"
complete -c vault -n "__fish_vault_using_subcommand allow" -l prompt -d 'Prompt driver to use for passphrases and MFA codes' -r -f -a "terminal\t'Ask on the controlling terminal (/dev/tty)'"
complete -c vault -n "__fish_vault_using_subcommand allow" -l file-dir -d 'Directory of the encrypted file backend [default: ~/.awsvault/keys]' -r -F
complete -c vault -n "__fish_vault_using_subcommand allow" -l secret-service-collection -d 'Name of the secret-service collection to use' -r
complete -c vault -n "__fish_vault_using_subcommand allow" -l pass-dir -d 'Directory of the pass password store [default: $PASSWORD_STORE_DIR or ~/.password-store]' -r -F
complete -c vault -n "__fish_vault_using_subcommand allow" -l pass-cmd -d 'Name of the pass program' -r
complete -c vault -n "__fish_vault_using_subcommand allow" -l pass-prefix -d 'Folder inside the pass store that holds vault\'s entries' -r
complete -c vault -n "__fish_vault_using_subcommand allow" -l keychain -d 'Name of the macOS keychain (keychain backend only, which needs macOS)' -r
complete -c vault -n "__fish_vault_using_subcommand allow" -l debug -d 'Show debugging output on stderr (never secrets)'
complete -c vault -n "__fish_vault_using_subcommand allow" -l help-long -d 'Same as --help (aws-vault\'s name for the long help)'
complete -c vault -n "__fish_vault_using_subcommand allow" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vault -n "__fish_vault_using_subcommand allow" -s V -l version -d 'Print version'
complete -c vault -n "__fish_vault_using_subcommand deny" -l backend -d 'Secret backend to use' -r -f -a "file\t'Encrypted files in --file-dir, one per item (aws-vault\'s format)'
secret-service\t'The desktop keyring over D-Bus (GNOME Keyring, KWallet, KeePassXC), collection --secret-service-collection'
keyctl\t'The Linux kernel keyring: a keyring named aws-vault in the session keyring'
pass\t'The pass password store (gpg), under --pass-dir and --pass-prefix'
keychain\t'The macOS keychain (not available on this system)'
kwallet\t'KDE Wallet\'s own API (not available; use secret-service, which KWallet also serves)'
wincred\t'The Windows Credential Manager (not available on this system)'"
complete -c vault -n "__fish_vault_using_subcommand deny" -l prompt -d 'Prompt driver to use for passphrases and MFA codes' -r -f -a "terminal\t'Ask on the controlling terminal (/dev/tty)'"
complete -c vault -n "__fish_vault_using_subcommand deny" -l file-dir -d 'Directory of the encrypted file backend [default: ~/.awsvault/keys]' -r -F
complete -c vault -n "__fish_vault_using_subcommand deny" -l secret-service-collection -d 'Name of the secret-service collection to use' -r
complete -c vault -n "__fish_vault_using_subcommand deny" -l pass-dir -d 'Directory of the pass password store [default: $PASSWORD_STORE_DIR or ~/.password-store]' -r -F
complete -c vault -n "__fish_vault_using_subcommand deny" -l pass-cmd -d 'Name of the pass program' -r
complete -c vault -n "__fish_vault_using_subcommand deny" -l pass-prefix -d 'Folder inside the pass store that holds vault\'s entries' -r
complete -c vault -n "__fish_vault_using_subcommand deny" -l keychain -d 'Name of the macOS keychain (keychain backend only, which needs macOS)' -r
complete -c vault -n "__fish_vault_using_subcommand deny" -l debug -d 'Show debugging output on stderr (never secrets)'
complete -c vault -n "__fish_vault_using_subcommand deny" -l help-long -d 'Same as --help (aws-vault\'s name for the long help)'
complete -c vault -n "__fish_vault_using_subcommand deny" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vault -n "__fish_vault_using_subcommand deny" -s V -l version -d 'Print version'
complete -c vault -n "__fish_vault_using_subcommand status" -l backend -d 'Secret backend to use' -r -f -a "file\t'Encrypted files in --file-dir, one per item (aws-vault\'s format)'
secret-service\t'The desktop keyring over D-Bus (GNOME Keyring, KWallet, KeePassXC), collection --secret-service-collection'
keyctl\t'The Linux kernel keyring: a keyring named aws-vault in the session keyring'
pass\t'The pass password store (gpg), under --pass-dir and --pass-prefix'
keychain\t'The macOS keychain (not available on this system)'
kwallet\t'KDE Wallet\'s own API (not available; use secret-service, which KWallet also serves)'
wincred\t'The Windows Credential Manager (not available on this system)'"
complete -c vault -n "__fish_vault_using_subcommand status" -l prompt -d 'Prompt driver to use for passphrases and MFA codes' -r -f -a "terminal\t'Ask on the controlling terminal (/dev/tty)'"
complete -c vault -n "__fish_vault_using_subcommand status" -l file-dir -d 'Directory of the encrypted file backend [default: ~/.awsvault/keys]' -r -F
complete -c vault -n "__fish_vault_using_subcommand status" -l secret-service-collection -d 'Name of the secret-service collection to use' -r
complete -c vault -n "__fish_vault_using_subcommand status" -l pass-dir -d 'Directory of the pass password store [default: $PASSWORD_STORE_DIR or ~/.password-store]' -r -F
complete -c vault -n "__fish_vault_using_subcommand status" -l pass-cmd -d 'Name of the pass program' -r
complete -c vault -n "__fish_vault_using_subcommand status" -l pass-prefix -d 'Folder inside the pass store that holds vault\'s entries' -r
complete -c vault -n "__fish_vault_using_subcommand status" -l keychain -d 'Name of the macOS keychain (keychain backend only, which needs macOS)' -r
complete -c vault -n "__fish_vault_using_subcommand status" -l json -d 'Print JSON'
complete -c vault -n "__fish_vault_using_subcommand status" -l debug -d 'Show debugging output on stderr (never secrets)'
complete -c vault -n "__fish_vault_using_subcommand status" -l help-long -d 'Same as --help (aws-vault\'s name for the long help)'
complete -c vault -n "__fish_vault_using_subcommand status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c vault -n "__fish_vault_using_subcommand status" -s V -l version -d 'Print version'
complete -c vault -n "__fish_vault_using_subcommand help; and not __fish_seen_subcommand_from add remove list clear exec export login rotate completions migrate hook hook-env use unuse reload allow deny status help" -f -a "add" -d 'Add credentials to the secure keystore'
complete -c vault -n "__fish_vault_using_subcommand help; and not __fish_seen_subcommand_from add remove list clear exec export login rotate completions migrate hook hook-env use unuse reload allow deny status help" -f -a "remove" -d 'Remove credentials from the secure keystore'
complete -c vault -n "__fish_vault_using_subcommand help; and not __fish_seen_subcommand_from add remove list clear exec export login rotate completions migrate hook hook-env use unuse reload allow deny status help" -f -a "list" -d 'List profiles, along with their credentials and sessions'
complete -c vault -n "__fish_vault_using_subcommand help; and not __fish_seen_subcommand_from add remove list clear exec export login rotate completions migrate hook hook-env use unuse reload allow deny status help" -f -a "clear" -d 'Clear temporary credentials from the secure keystore'
complete -c vault -n "__fish_vault_using_subcommand help; and not __fish_seen_subcommand_from add remove list clear exec export login rotate completions migrate hook hook-env use unuse reload allow deny status help" -f -a "exec" -d 'Execute a command with AWS credentials'
complete -c vault -n "__fish_vault_using_subcommand help; and not __fish_seen_subcommand_from add remove list clear exec export login rotate completions migrate hook hook-env use unuse reload allow deny status help" -f -a "export" -d 'Export AWS credentials'
complete -c vault -n "__fish_vault_using_subcommand help; and not __fish_seen_subcommand_from add remove list clear exec export login rotate completions migrate hook hook-env use unuse reload allow deny status help" -f -a "login" -d 'Open the AWS console, signed in with PROFILE\'s credentials'
complete -c vault -n "__fish_vault_using_subcommand help; and not __fish_seen_subcommand_from add remove list clear exec export login rotate completions migrate hook hook-env use unuse reload allow deny status help" -f -a "rotate" -d 'Rotate the access key stored for PROFILE'
complete -c vault -n "__fish_vault_using_subcommand help; and not __fish_seen_subcommand_from add remove list clear exec export login rotate completions migrate hook hook-env use unuse reload allow deny status help" -f -a "completions" -d 'Print a shell completion script'
complete -c vault -n "__fish_vault_using_subcommand help; and not __fish_seen_subcommand_from add remove list clear exec export login rotate completions migrate hook hook-env use unuse reload allow deny status help" -f -a "migrate" -d 'Copy long-term credentials from one backend to another'
complete -c vault -n "__fish_vault_using_subcommand help; and not __fish_seen_subcommand_from add remove list clear exec export login rotate completions migrate hook hook-env use unuse reload allow deny status help" -f -a "hook" -d 'Print the shell integration script'
complete -c vault -n "__fish_vault_using_subcommand help; and not __fish_seen_subcommand_from add remove list clear exec export login rotate completions migrate hook hook-env use unuse reload allow deny status help" -f -a "hook-env"
complete -c vault -n "__fish_vault_using_subcommand help; and not __fish_seen_subcommand_from add remove list clear exec export login rotate completions migrate hook hook-env use unuse reload allow deny status help" -f -a "use" -d 'Use a profile in this shell until `vault unuse`'
complete -c vault -n "__fish_vault_using_subcommand help; and not __fish_seen_subcommand_from add remove list clear exec export login rotate completions migrate hook hook-env use unuse reload allow deny status help" -f -a "unuse"
complete -c vault -n "__fish_vault_using_subcommand help; and not __fish_seen_subcommand_from add remove list clear exec export login rotate completions migrate hook hook-env use unuse reload allow deny status help" -f -a "reload"
complete -c vault -n "__fish_vault_using_subcommand help; and not __fish_seen_subcommand_from add remove list clear exec export login rotate completions migrate hook hook-env use unuse reload allow deny status help" -f -a "allow" -d 'Trust (allow) or block (deny) an .awsprofile file'
complete -c vault -n "__fish_vault_using_subcommand help; and not __fish_seen_subcommand_from add remove list clear exec export login rotate completions migrate hook hook-env use unuse reload allow deny status help" -f -a "deny" -d 'Trust (allow) or block (deny) an .awsprofile file'
complete -c vault -n "__fish_vault_using_subcommand help; and not __fish_seen_subcommand_from add remove list clear exec export login rotate completions migrate hook hook-env use unuse reload allow deny status help" -f -a "status" -d 'Show which profile this shell uses, and why'
complete -c vault -n "__fish_vault_using_subcommand help; and not __fish_seen_subcommand_from add remove list clear exec export login rotate completions migrate hook hook-env use unuse reload allow deny status help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
