
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'vault' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'vault'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'vault' {
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Secret backend to use')
            [CompletionResult]::new('--prompt', '--prompt', [CompletionResultType]::ParameterName, 'Prompt driver to use for passphrases and MFA codes')
            [CompletionResult]::new('--file-dir', '--file-dir', [CompletionResultType]::ParameterName, 'Directory of the encrypted file backend [default: ~/.awsvault/keys]')
            [CompletionResult]::new('--secret-service-collection', '--secret-service-collection', [CompletionResultType]::ParameterName, 'Name of the secret-service collection to use')
            [CompletionResult]::new('--pass-dir', '--pass-dir', [CompletionResultType]::ParameterName, 'Directory of the pass password store [default: $PASSWORD_STORE_DIR or ~/.password-store]')
            [CompletionResult]::new('--pass-cmd', '--pass-cmd', [CompletionResultType]::ParameterName, 'Name of the pass program')
            [CompletionResult]::new('--pass-prefix', '--pass-prefix', [CompletionResultType]::ParameterName, 'Folder inside the pass store that holds vault''s entries')
            [CompletionResult]::new('--keychain', '--keychain', [CompletionResultType]::ParameterName, 'Name of the macOS keychain (keychain backend only, which needs macOS)')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Show debugging output on stderr (never secrets)')
            [CompletionResult]::new('--help-long', '--help-long', [CompletionResultType]::ParameterName, 'Same as --help (aws-vault''s name for the long help)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add credentials to the secure keystore')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove credentials from the secure keystore')
            [CompletionResult]::new('rm', 'rm', [CompletionResultType]::ParameterValue, 'Remove credentials from the secure keystore')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List profiles, along with their credentials and sessions')
            [CompletionResult]::new('ls', 'ls', [CompletionResultType]::ParameterValue, 'List profiles, along with their credentials and sessions')
            [CompletionResult]::new('clear', 'clear', [CompletionResultType]::ParameterValue, 'Clear temporary credentials from the secure keystore')
            [CompletionResult]::new('exec', 'exec', [CompletionResultType]::ParameterValue, 'Execute a command with AWS credentials')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Export AWS credentials')
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Open the AWS console, signed in with PROFILE''s credentials')
            [CompletionResult]::new('rotate', 'rotate', [CompletionResultType]::ParameterValue, 'Rotate the access key stored for PROFILE')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('migrate', 'migrate', [CompletionResultType]::ParameterValue, 'Copy long-term credentials from one backend to another')
            [CompletionResult]::new('hook', 'hook', [CompletionResultType]::ParameterValue, 'Print the shell integration script')
            [CompletionResult]::new('hook-env', 'hook-env', [CompletionResultType]::ParameterValue, 'hook-env')
            [CompletionResult]::new('use', 'use', [CompletionResultType]::ParameterValue, 'Use a profile in this shell until `vault unuse`')
            [CompletionResult]::new('unuse', 'unuse', [CompletionResultType]::ParameterValue, 'unuse')
            [CompletionResult]::new('reload', 'reload', [CompletionResultType]::ParameterValue, 'reload')
            [CompletionResult]::new('allow', 'allow', [CompletionResultType]::ParameterValue, 'Trust (allow) or block (deny) an .awsprofile file')
            [CompletionResult]::new('deny', 'deny', [CompletionResultType]::ParameterValue, 'Trust (allow) or block (deny) an .awsprofile file')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show which profile this shell uses, and why')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'vault;add' {
            [CompletionResult]::new('--add-config', '--add-config', [CompletionResultType]::ParameterName, 'Add a [profile PROFILE] section to the AWS config file if it is missing')
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Secret backend to use')
            [CompletionResult]::new('--prompt', '--prompt', [CompletionResultType]::ParameterName, 'Prompt driver to use for passphrases and MFA codes')
            [CompletionResult]::new('--file-dir', '--file-dir', [CompletionResultType]::ParameterName, 'Directory of the encrypted file backend [default: ~/.awsvault/keys]')
            [CompletionResult]::new('--secret-service-collection', '--secret-service-collection', [CompletionResultType]::ParameterName, 'Name of the secret-service collection to use')
            [CompletionResult]::new('--pass-dir', '--pass-dir', [CompletionResultType]::ParameterName, 'Directory of the pass password store [default: $PASSWORD_STORE_DIR or ~/.password-store]')
            [CompletionResult]::new('--pass-cmd', '--pass-cmd', [CompletionResultType]::ParameterName, 'Name of the pass program')
            [CompletionResult]::new('--pass-prefix', '--pass-prefix', [CompletionResultType]::ParameterName, 'Folder inside the pass store that holds vault''s entries')
            [CompletionResult]::new('--keychain', '--keychain', [CompletionResultType]::ParameterName, 'Name of the macOS keychain (keychain backend only, which needs macOS)')
            [CompletionResult]::new('--env', '--env', [CompletionResultType]::ParameterName, 'Read the credentials from AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY')
            [CompletionResult]::new('--no-add-config', '--no-add-config', [CompletionResultType]::ParameterName, 'Do not touch the AWS config file')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Show debugging output on stderr (never secrets)')
            [CompletionResult]::new('--help-long', '--help-long', [CompletionResultType]::ParameterName, 'Same as --help (aws-vault''s name for the long help)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vault;remove' {
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Secret backend to use')
            [CompletionResult]::new('--prompt', '--prompt', [CompletionResultType]::ParameterName, 'Prompt driver to use for passphrases and MFA codes')
            [CompletionResult]::new('--file-dir', '--file-dir', [CompletionResultType]::ParameterName, 'Directory of the encrypted file backend [default: ~/.awsvault/keys]')
            [CompletionResult]::new('--secret-service-collection', '--secret-service-collection', [CompletionResultType]::ParameterName, 'Name of the secret-service collection to use')
            [CompletionResult]::new('--pass-dir', '--pass-dir', [CompletionResultType]::ParameterName, 'Directory of the pass password store [default: $PASSWORD_STORE_DIR or ~/.password-store]')
            [CompletionResult]::new('--pass-cmd', '--pass-cmd', [CompletionResultType]::ParameterName, 'Name of the pass program')
            [CompletionResult]::new('--pass-prefix', '--pass-prefix', [CompletionResultType]::ParameterName, 'Folder inside the pass store that holds vault''s entries')
            [CompletionResult]::new('--keychain', '--keychain', [CompletionResultType]::ParameterName, 'Name of the macOS keychain (keychain backend only, which needs macOS)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Only remove the profile''s cached sessions, keep its credentials')
            [CompletionResult]::new('--sessions-only', '--sessions-only', [CompletionResultType]::ParameterName, 'Only remove the profile''s cached sessions, keep its credentials')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Show debugging output on stderr (never secrets)')
            [CompletionResult]::new('--help-long', '--help-long', [CompletionResultType]::ParameterName, 'Same as --help (aws-vault''s name for the long help)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vault;rm' {
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Secret backend to use')
            [CompletionResult]::new('--prompt', '--prompt', [CompletionResultType]::ParameterName, 'Prompt driver to use for passphrases and MFA codes')
            [CompletionResult]::new('--file-dir', '--file-dir', [CompletionResultType]::ParameterName, 'Directory of the encrypted file backend [default: ~/.awsvault/keys]')
            [CompletionResult]::new('--secret-service-collection', '--secret-service-collection', [CompletionResultType]::ParameterName, 'Name of the secret-service collection to use')
            [CompletionResult]::new('--pass-dir', '--pass-dir', [CompletionResultType]::ParameterName, 'Directory of the pass password store [default: $PASSWORD_STORE_DIR or ~/.password-store]')
            [CompletionResult]::new('--pass-cmd', '--pass-cmd', [CompletionResultType]::ParameterName, 'Name of the pass program')
            [CompletionResult]::new('--pass-prefix', '--pass-prefix', [CompletionResultType]::ParameterName, 'Folder inside the pass store that holds vault''s entries')
            [CompletionResult]::new('--keychain', '--keychain', [CompletionResultType]::ParameterName, 'Name of the macOS keychain (keychain backend only, which needs macOS)')
            [CompletionResult]::new('-f', '-f', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Do not ask for confirmation')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Only remove the profile''s cached sessions, keep its credentials')
            [CompletionResult]::new('--sessions-only', '--sessions-only', [CompletionResultType]::ParameterName, 'Only remove the profile''s cached sessions, keep its credentials')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Show debugging output on stderr (never secrets)')
            [CompletionResult]::new('--help-long', '--help-long', [CompletionResultType]::ParameterName, 'Same as --help (aws-vault''s name for the long help)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vault;list' {
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Secret backend to use')
            [CompletionResult]::new('--prompt', '--prompt', [CompletionResultType]::ParameterName, 'Prompt driver to use for passphrases and MFA codes')
            [CompletionResult]::new('--file-dir', '--file-dir', [CompletionResultType]::ParameterName, 'Directory of the encrypted file backend [default: ~/.awsvault/keys]')
            [CompletionResult]::new('--secret-service-collection', '--secret-service-collection', [CompletionResultType]::ParameterName, 'Name of the secret-service collection to use')
            [CompletionResult]::new('--pass-dir', '--pass-dir', [CompletionResultType]::ParameterName, 'Directory of the pass password store [default: $PASSWORD_STORE_DIR or ~/.password-store]')
            [CompletionResult]::new('--pass-cmd', '--pass-cmd', [CompletionResultType]::ParameterName, 'Name of the pass program')
            [CompletionResult]::new('--pass-prefix', '--pass-prefix', [CompletionResultType]::ParameterName, 'Folder inside the pass store that holds vault''s entries')
            [CompletionResult]::new('--keychain', '--keychain', [CompletionResultType]::ParameterName, 'Name of the macOS keychain (keychain backend only, which needs macOS)')
            [CompletionResult]::new('--profiles', '--profiles', [CompletionResultType]::ParameterName, 'Show only the profile names')
            [CompletionResult]::new('--credentials', '--credentials', [CompletionResultType]::ParameterName, 'Show only the names of stored credentials')
            [CompletionResult]::new('--sessions', '--sessions', [CompletionResultType]::ParameterName, 'Show only the names of cached sessions')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Show debugging output on stderr (never secrets)')
            [CompletionResult]::new('--help-long', '--help-long', [CompletionResultType]::ParameterName, 'Same as --help (aws-vault''s name for the long help)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vault;ls' {
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Secret backend to use')
            [CompletionResult]::new('--prompt', '--prompt', [CompletionResultType]::ParameterName, 'Prompt driver to use for passphrases and MFA codes')
            [CompletionResult]::new('--file-dir', '--file-dir', [CompletionResultType]::ParameterName, 'Directory of the encrypted file backend [default: ~/.awsvault/keys]')
            [CompletionResult]::new('--secret-service-collection', '--secret-service-collection', [CompletionResultType]::ParameterName, 'Name of the secret-service collection to use')
            [CompletionResult]::new('--pass-dir', '--pass-dir', [CompletionResultType]::ParameterName, 'Directory of the pass password store [default: $PASSWORD_STORE_DIR or ~/.password-store]')
            [CompletionResult]::new('--pass-cmd', '--pass-cmd', [CompletionResultType]::ParameterName, 'Name of the pass program')
            [CompletionResult]::new('--pass-prefix', '--pass-prefix', [CompletionResultType]::ParameterName, 'Folder inside the pass store that holds vault''s entries')
            [CompletionResult]::new('--keychain', '--keychain', [CompletionResultType]::ParameterName, 'Name of the macOS keychain (keychain backend only, which needs macOS)')
            [CompletionResult]::new('--profiles', '--profiles', [CompletionResultType]::ParameterName, 'Show only the profile names')
            [CompletionResult]::new('--credentials', '--credentials', [CompletionResultType]::ParameterName, 'Show only the names of stored credentials')
            [CompletionResult]::new('--sessions', '--sessions', [CompletionResultType]::ParameterName, 'Show only the names of cached sessions')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Show debugging output on stderr (never secrets)')
            [CompletionResult]::new('--help-long', '--help-long', [CompletionResultType]::ParameterName, 'Same as --help (aws-vault''s name for the long help)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vault;clear' {
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Secret backend to use')
            [CompletionResult]::new('--prompt', '--prompt', [CompletionResultType]::ParameterName, 'Prompt driver to use for passphrases and MFA codes')
            [CompletionResult]::new('--file-dir', '--file-dir', [CompletionResultType]::ParameterName, 'Directory of the encrypted file backend [default: ~/.awsvault/keys]')
            [CompletionResult]::new('--secret-service-collection', '--secret-service-collection', [CompletionResultType]::ParameterName, 'Name of the secret-service collection to use')
            [CompletionResult]::new('--pass-dir', '--pass-dir', [CompletionResultType]::ParameterName, 'Directory of the pass password store [default: $PASSWORD_STORE_DIR or ~/.password-store]')
            [CompletionResult]::new('--pass-cmd', '--pass-cmd', [CompletionResultType]::ParameterName, 'Name of the pass program')
            [CompletionResult]::new('--pass-prefix', '--pass-prefix', [CompletionResultType]::ParameterName, 'Folder inside the pass store that holds vault''s entries')
            [CompletionResult]::new('--keychain', '--keychain', [CompletionResultType]::ParameterName, 'Name of the macOS keychain (keychain backend only, which needs macOS)')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Show debugging output on stderr (never secrets)')
            [CompletionResult]::new('--help-long', '--help-long', [CompletionResultType]::ParameterName, 'Same as --help (aws-vault''s name for the long help)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vault;exec' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Duration of the temporary credentials (Go style: 1h, 90m, 12h); sets every TTL')
            [CompletionResult]::new('--duration', '--duration', [CompletionResultType]::ParameterName, 'Duration of the temporary credentials (Go style: 1h, 90m, 12h); sets every TTL')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'The AWS region for the credentials and the child''s AWS_REGION')
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'The MFA code to use instead of asking for one')
            [CompletionResult]::new('--mfa-token', '--mfa-token', [CompletionResultType]::ParameterName, 'The MFA code to use instead of asking for one')
            [CompletionResult]::new('--mfa-serial-override', '--mfa-serial-override', [CompletionResultType]::ParameterName, 'The MFA device serial (ARN) to use instead of mfa_serial [env: AWS_MFA_SERIAL]')
            [CompletionResult]::new('--session-ttl', '--session-ttl', [CompletionResultType]::ParameterName, 'How long the GetSessionToken session lasts [env: AWS_SESSION_TOKEN_TTL]')
            [CompletionResult]::new('--assume-role-ttl', '--assume-role-ttl', [CompletionResultType]::ParameterName, 'How long assumed-role credentials last [env: AWS_ASSUME_ROLE_TTL]')
            [CompletionResult]::new('--ec2-server-addr', '--ec2-server-addr', [CompletionResultType]::ParameterName, 'Where --ec2-server listens: the EC2 address, which needs a root-side alias on lo (see the README), or a loopback address, which is passed on as AWS_EC2_METADATA_SERVICE_ENDPOINT [default: 169.254.169.254:80]')
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Secret backend to use')
            [CompletionResult]::new('--prompt', '--prompt', [CompletionResultType]::ParameterName, 'Prompt driver to use for passphrases and MFA codes')
            [CompletionResult]::new('--file-dir', '--file-dir', [CompletionResultType]::ParameterName, 'Directory of the encrypted file backend [default: ~/.awsvault/keys]')
            [CompletionResult]::new('--secret-service-collection', '--secret-service-collection', [CompletionResultType]::ParameterName, 'Name of the secret-service collection to use')
            [CompletionResult]::new('--pass-dir', '--pass-dir', [CompletionResultType]::ParameterName, 'Directory of the pass password store [default: $PASSWORD_STORE_DIR or ~/.password-store]')
            [CompletionResult]::new('--pass-cmd', '--pass-cmd', [CompletionResultType]::ParameterName, 'Name of the pass program')
            [CompletionResult]::new('--pass-prefix', '--pass-prefix', [CompletionResultType]::ParameterName, 'Folder inside the pass store that holds vault''s entries')
            [CompletionResult]::new('--keychain', '--keychain', [CompletionResultType]::ParameterName, 'Name of the macOS keychain (keychain backend only, which needs macOS)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Skip GetSessionToken: use the long-term keys directly, or assume the role straight from them')
            [CompletionResult]::new('--no-session', '--no-session', [CompletionResultType]::ParameterName, 'Skip GetSessionToken: use the long-term keys directly, or assume the role straight from them')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'Print the credentials as credential_process JSON instead of running a command')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the credentials as credential_process JSON instead of running a command')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Serve renewing credentials to COMMAND from a local ECS credential server (127.0.0.1, random port, random token) instead of putting keys in its environment')
            [CompletionResult]::new('--ecs-server', '--ecs-server', [CompletionResultType]::ParameterName, 'Serve renewing credentials to COMMAND from a local ECS credential server (127.0.0.1, random port, random token) instead of putting keys in its environment')
            [CompletionResult]::new('--server', '--server', [CompletionResultType]::ParameterName, 'Serve renewing credentials to COMMAND from a local ECS credential server (127.0.0.1, random port, random token) instead of putting keys in its environment')
            [CompletionResult]::new('--ec2-server', '--ec2-server', [CompletionResultType]::ParameterName, 'Serve renewing credentials to COMMAND from an emulated EC2 instance metadata service (IMDSv1 and IMDSv2) on --ec2-server-addr')
            [CompletionResult]::new('--lazy', '--lazy', [CompletionResultType]::ParameterName, 'With a server: get the first credentials when they are first asked for, not before COMMAND starts')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Show debugging output on stderr (never secrets)')
            [CompletionResult]::new('--help-long', '--help-long', [CompletionResultType]::ParameterName, 'Same as --help (aws-vault''s name for the long help)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vault;export' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Duration of the temporary credentials (Go style: 1h, 90m, 12h); sets every TTL')
            [CompletionResult]::new('--duration', '--duration', [CompletionResultType]::ParameterName, 'Duration of the temporary credentials (Go style: 1h, 90m, 12h); sets every TTL')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'The AWS region for the credentials and the child''s AWS_REGION')
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'The MFA code to use instead of asking for one')
            [CompletionResult]::new('--mfa-token', '--mfa-token', [CompletionResultType]::ParameterName, 'The MFA code to use instead of asking for one')
            [CompletionResult]::new('--mfa-serial-override', '--mfa-serial-override', [CompletionResultType]::ParameterName, 'The MFA device serial (ARN) to use instead of mfa_serial [env: AWS_MFA_SERIAL]')
            [CompletionResult]::new('--session-ttl', '--session-ttl', [CompletionResultType]::ParameterName, 'How long the GetSessionToken session lasts [env: AWS_SESSION_TOKEN_TTL]')
            [CompletionResult]::new('--assume-role-ttl', '--assume-role-ttl', [CompletionResultType]::ParameterName, 'How long assumed-role credentials last [env: AWS_ASSUME_ROLE_TTL]')
            [CompletionResult]::new('--format', '--format', [CompletionResultType]::ParameterName, 'Output format')
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Secret backend to use')
            [CompletionResult]::new('--prompt', '--prompt', [CompletionResultType]::ParameterName, 'Prompt driver to use for passphrases and MFA codes')
            [CompletionResult]::new('--file-dir', '--file-dir', [CompletionResultType]::ParameterName, 'Directory of the encrypted file backend [default: ~/.awsvault/keys]')
            [CompletionResult]::new('--secret-service-collection', '--secret-service-collection', [CompletionResultType]::ParameterName, 'Name of the secret-service collection to use')
            [CompletionResult]::new('--pass-dir', '--pass-dir', [CompletionResultType]::ParameterName, 'Directory of the pass password store [default: $PASSWORD_STORE_DIR or ~/.password-store]')
            [CompletionResult]::new('--pass-cmd', '--pass-cmd', [CompletionResultType]::ParameterName, 'Name of the pass program')
            [CompletionResult]::new('--pass-prefix', '--pass-prefix', [CompletionResultType]::ParameterName, 'Folder inside the pass store that holds vault''s entries')
            [CompletionResult]::new('--keychain', '--keychain', [CompletionResultType]::ParameterName, 'Name of the macOS keychain (keychain backend only, which needs macOS)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Skip GetSessionToken: use the long-term keys directly, or assume the role straight from them')
            [CompletionResult]::new('--no-session', '--no-session', [CompletionResultType]::ParameterName, 'Skip GetSessionToken: use the long-term keys directly, or assume the role straight from them')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Show debugging output on stderr (never secrets)')
            [CompletionResult]::new('--help-long', '--help-long', [CompletionResultType]::ParameterName, 'Same as --help (aws-vault''s name for the long help)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vault;login' {
            [CompletionResult]::new('-d', '-d', [CompletionResultType]::ParameterName, 'Duration of the temporary credentials (Go style: 1h, 90m, 12h); sets every TTL')
            [CompletionResult]::new('--duration', '--duration', [CompletionResultType]::ParameterName, 'Duration of the temporary credentials (Go style: 1h, 90m, 12h); sets every TTL')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'The AWS region for the credentials and the child''s AWS_REGION')
            [CompletionResult]::new('-t', '-t', [CompletionResultType]::ParameterName, 'The MFA code to use instead of asking for one')
            [CompletionResult]::new('--mfa-token', '--mfa-token', [CompletionResultType]::ParameterName, 'The MFA code to use instead of asking for one')
            [CompletionResult]::new('--mfa-serial-override', '--mfa-serial-override', [CompletionResultType]::ParameterName, 'The MFA device serial (ARN) to use instead of mfa_serial [env: AWS_MFA_SERIAL]')
            [CompletionResult]::new('--session-ttl', '--session-ttl', [CompletionResultType]::ParameterName, 'How long the GetSessionToken session lasts [env: AWS_SESSION_TOKEN_TTL]')
            [CompletionResult]::new('--assume-role-ttl', '--assume-role-ttl', [CompletionResultType]::ParameterName, 'How long assumed-role credentials last [env: AWS_ASSUME_ROLE_TTL]')
            [CompletionResult]::new('--federation-token-ttl', '--federation-token-ttl', [CompletionResultType]::ParameterName, 'How long an IAM user''s console session lasts (GetFederationToken) [env: AWS_FEDERATION_TOKEN_TTL]')
            [CompletionResult]::new('--path', '--path', [CompletionResultType]::ParameterName, 'The console page to open, e.g. s3/home or ec2/home#Instances')
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Secret backend to use')
            [CompletionResult]::new('--prompt', '--prompt', [CompletionResultType]::ParameterName, 'Prompt driver to use for passphrases and MFA codes')
            [CompletionResult]::new('--file-dir', '--file-dir', [CompletionResultType]::ParameterName, 'Directory of the encrypted file backend [default: ~/.awsvault/keys]')
            [CompletionResult]::new('--secret-service-collection', '--secret-service-collection', [CompletionResultType]::ParameterName, 'Name of the secret-service collection to use')
            [CompletionResult]::new('--pass-dir', '--pass-dir', [CompletionResultType]::ParameterName, 'Directory of the pass password store [default: $PASSWORD_STORE_DIR or ~/.password-store]')
            [CompletionResult]::new('--pass-cmd', '--pass-cmd', [CompletionResultType]::ParameterName, 'Name of the pass program')
            [CompletionResult]::new('--pass-prefix', '--pass-prefix', [CompletionResultType]::ParameterName, 'Folder inside the pass store that holds vault''s entries')
            [CompletionResult]::new('--keychain', '--keychain', [CompletionResultType]::ParameterName, 'Name of the macOS keychain (keychain backend only, which needs macOS)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Skip GetSessionToken: use the long-term keys directly, or assume the role straight from them')
            [CompletionResult]::new('--no-session', '--no-session', [CompletionResultType]::ParameterName, 'Skip GetSessionToken: use the long-term keys directly, or assume the role straight from them')
            [CompletionResult]::new('-s', '-s', [CompletionResultType]::ParameterName, 'Print the sign-in URL instead of opening a browser')
            [CompletionResult]::new('--stdout', '--stdout', [CompletionResultType]::ParameterName, 'Print the sign-in URL instead of opening a browser')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Show debugging output on stderr (never secrets)')
            [CompletionResult]::new('--help-long', '--help-long', [CompletionResultType]::ParameterName, 'Same as --help (aws-vault''s name for the long help)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vault;rotate' {
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Secret backend to use')
            [CompletionResult]::new('--prompt', '--prompt', [CompletionResultType]::ParameterName, 'Prompt driver to use for passphrases and MFA codes')
            [CompletionResult]::new('--file-dir', '--file-dir', [CompletionResultType]::ParameterName, 'Directory of the encrypted file backend [default: ~/.awsvault/keys]')
            [CompletionResult]::new('--secret-service-collection', '--secret-service-collection', [CompletionResultType]::ParameterName, 'Name of the secret-service collection to use')
            [CompletionResult]::new('--pass-dir', '--pass-dir', [CompletionResultType]::ParameterName, 'Directory of the pass password store [default: $PASSWORD_STORE_DIR or ~/.password-store]')
            [CompletionResult]::new('--pass-cmd', '--pass-cmd', [CompletionResultType]::ParameterName, 'Name of the pass program')
            [CompletionResult]::new('--pass-prefix', '--pass-prefix', [CompletionResultType]::ParameterName, 'Folder inside the pass store that holds vault''s entries')
            [CompletionResult]::new('--keychain', '--keychain', [CompletionResultType]::ParameterName, 'Name of the macOS keychain (keychain backend only, which needs macOS)')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Call IAM with the long-term keys themselves, not a session or role')
            [CompletionResult]::new('--no-session', '--no-session', [CompletionResultType]::ParameterName, 'Call IAM with the long-term keys themselves, not a session or role')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Show debugging output on stderr (never secrets)')
            [CompletionResult]::new('--help-long', '--help-long', [CompletionResultType]::ParameterName, 'Same as --help (aws-vault''s name for the long help)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vault;completions' {
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Secret backend to use')
            [CompletionResult]::new('--prompt', '--prompt', [CompletionResultType]::ParameterName, 'Prompt driver to use for passphrases and MFA codes')
            [CompletionResult]::new('--file-dir', '--file-dir', [CompletionResultType]::ParameterName, 'Directory of the encrypted file backend [default: ~/.awsvault/keys]')
            [CompletionResult]::new('--secret-service-collection', '--secret-service-collection', [CompletionResultType]::ParameterName, 'Name of the secret-service collection to use')
            [CompletionResult]::new('--pass-dir', '--pass-dir', [CompletionResultType]::ParameterName, 'Directory of the pass password store [default: $PASSWORD_STORE_DIR or ~/.password-store]')
            [CompletionResult]::new('--pass-cmd', '--pass-cmd', [CompletionResultType]::ParameterName, 'Name of the pass program')
            [CompletionResult]::new('--pass-prefix', '--pass-prefix', [CompletionResultType]::ParameterName, 'Folder inside the pass store that holds vault''s entries')
            [CompletionResult]::new('--keychain', '--keychain', [CompletionResultType]::ParameterName, 'Name of the macOS keychain (keychain backend only, which needs macOS)')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Show debugging output on stderr (never secrets)')
            [CompletionResult]::new('--help-long', '--help-long', [CompletionResultType]::ParameterName, 'Same as --help (aws-vault''s name for the long help)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vault;migrate' {
            [CompletionResult]::new('--from', '--from', [CompletionResultType]::ParameterName, 'The backend to copy from')
            [CompletionResult]::new('--to', '--to', [CompletionResultType]::ParameterName, 'The backend to copy to')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'Only this profile (repeat for several) [default: every stored profile]')
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Secret backend to use')
            [CompletionResult]::new('--prompt', '--prompt', [CompletionResultType]::ParameterName, 'Prompt driver to use for passphrases and MFA codes')
            [CompletionResult]::new('--file-dir', '--file-dir', [CompletionResultType]::ParameterName, 'Directory of the encrypted file backend [default: ~/.awsvault/keys]')
            [CompletionResult]::new('--secret-service-collection', '--secret-service-collection', [CompletionResultType]::ParameterName, 'Name of the secret-service collection to use')
            [CompletionResult]::new('--pass-dir', '--pass-dir', [CompletionResultType]::ParameterName, 'Directory of the pass password store [default: $PASSWORD_STORE_DIR or ~/.password-store]')
            [CompletionResult]::new('--pass-cmd', '--pass-cmd', [CompletionResultType]::ParameterName, 'Name of the pass program')
            [CompletionResult]::new('--pass-prefix', '--pass-prefix', [CompletionResultType]::ParameterName, 'Folder inside the pass store that holds vault''s entries')
            [CompletionResult]::new('--keychain', '--keychain', [CompletionResultType]::ParameterName, 'Name of the macOS keychain (keychain backend only, which needs macOS)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Say what would be copied; change nothing')
            [CompletionResult]::new('--delete-source', '--delete-source', [CompletionResultType]::ParameterName, 'Delete each profile''s credentials from --from once its copy is checked')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Show debugging output on stderr (never secrets)')
            [CompletionResult]::new('--help-long', '--help-long', [CompletionResultType]::ParameterName, 'Same as --help (aws-vault''s name for the long help)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vault;hook' {
            [CompletionResult]::new('--cmd', '--cmd', [CompletionResultType]::ParameterName, 'Name of the shell function to define')
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Secret backend to use')
            [CompletionResult]::new('--prompt', '--prompt', [CompletionResultType]::ParameterName, 'Prompt driver to use for passphrases and MFA codes')
            [CompletionResult]::new('--file-dir', '--file-dir', [CompletionResultType]::ParameterName, 'Directory of the encrypted file backend [default: ~/.awsvault/keys]')
            [CompletionResult]::new('--secret-service-collection', '--secret-service-collection', [CompletionResultType]::ParameterName, 'Name of the secret-service collection to use')
            [CompletionResult]::new('--pass-dir', '--pass-dir', [CompletionResultType]::ParameterName, 'Directory of the pass password store [default: $PASSWORD_STORE_DIR or ~/.password-store]')
            [CompletionResult]::new('--pass-cmd', '--pass-cmd', [CompletionResultType]::ParameterName, 'Name of the pass program')
            [CompletionResult]::new('--pass-prefix', '--pass-prefix', [CompletionResultType]::ParameterName, 'Folder inside the pass store that holds vault''s entries')
            [CompletionResult]::new('--keychain', '--keychain', [CompletionResultType]::ParameterName, 'Name of the macOS keychain (keychain backend only, which needs macOS)')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Show debugging output on stderr (never secrets)')
            [CompletionResult]::new('--help-long', '--help-long', [CompletionResultType]::ParameterName, 'Same as --help (aws-vault''s name for the long help)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vault;hook-env' {
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Secret backend to use')
            [CompletionResult]::new('--prompt', '--prompt', [CompletionResultType]::ParameterName, 'Prompt driver to use for passphrases and MFA codes')
            [CompletionResult]::new('--file-dir', '--file-dir', [CompletionResultType]::ParameterName, 'Directory of the encrypted file backend [default: ~/.awsvault/keys]')
            [CompletionResult]::new('--secret-service-collection', '--secret-service-collection', [CompletionResultType]::ParameterName, 'Name of the secret-service collection to use')
            [CompletionResult]::new('--pass-dir', '--pass-dir', [CompletionResultType]::ParameterName, 'Directory of the pass password store [default: $PASSWORD_STORE_DIR or ~/.password-store]')
            [CompletionResult]::new('--pass-cmd', '--pass-cmd', [CompletionResultType]::ParameterName, 'Name of the pass program')
            [CompletionResult]::new('--pass-prefix', '--pass-prefix', [CompletionResultType]::ParameterName, 'Folder inside the pass store that holds vault''s entries')
            [CompletionResult]::new('--keychain', '--keychain', [CompletionResultType]::ParameterName, 'Name of the macOS keychain (keychain backend only, which needs macOS)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Decide again even if nothing seems to have changed (after allow/deny)')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Show debugging output on stderr (never secrets)')
            [CompletionResult]::new('--help-long', '--help-long', [CompletionResultType]::ParameterName, 'Same as --help (aws-vault''s name for the long help)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vault;use' {
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Secret backend to use')
            [CompletionResult]::new('--prompt', '--prompt', [CompletionResultType]::ParameterName, 'Prompt driver to use for passphrases and MFA codes')
            [CompletionResult]::new('--file-dir', '--file-dir', [CompletionResultType]::ParameterName, 'Directory of the encrypted file backend [default: ~/.awsvault/keys]')
            [CompletionResult]::new('--secret-service-collection', '--secret-service-collection', [CompletionResultType]::ParameterName, 'Name of the secret-service collection to use')
            [CompletionResult]::new('--pass-dir', '--pass-dir', [CompletionResultType]::ParameterName, 'Directory of the pass password store [default: $PASSWORD_STORE_DIR or ~/.password-store]')
            [CompletionResult]::new('--pass-cmd', '--pass-cmd', [CompletionResultType]::ParameterName, 'Name of the pass program')
            [CompletionResult]::new('--pass-prefix', '--pass-prefix', [CompletionResultType]::ParameterName, 'Folder inside the pass store that holds vault''s entries')
            [CompletionResult]::new('--keychain', '--keychain', [CompletionResultType]::ParameterName, 'Name of the macOS keychain (keychain backend only, which needs macOS)')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Show debugging output on stderr (never secrets)')
            [CompletionResult]::new('--help-long', '--help-long', [CompletionResultType]::ParameterName, 'Same as --help (aws-vault''s name for the long help)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vault;unuse' {
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Secret backend to use')
            [CompletionResult]::new('--prompt', '--prompt', [CompletionResultType]::ParameterName, 'Prompt driver to use for passphrases and MFA codes')
            [CompletionResult]::new('--file-dir', '--file-dir', [CompletionResultType]::ParameterName, 'Directory of the encrypted file backend [default: ~/.awsvault/keys]')
            [CompletionResult]::new('--secret-service-collection', '--secret-service-collection', [CompletionResultType]::ParameterName, 'Name of the secret-service collection to use')
            [CompletionResult]::new('--pass-dir', '--pass-dir', [CompletionResultType]::ParameterName, 'Directory of the pass password store [default: $PASSWORD_STORE_DIR or ~/.password-store]')
            [CompletionResult]::new('--pass-cmd', '--pass-cmd', [CompletionResultType]::ParameterName, 'Name of the pass program')
            [CompletionResult]::new('--pass-prefix', '--pass-prefix', [CompletionResultType]::ParameterName, 'Folder inside the pass store that holds vault''s entries')
            [CompletionResult]::new('--keychain', '--keychain', [CompletionResultType]::ParameterName, 'Name of the macOS keychain (keychain backend only, which needs macOS)')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Show debugging output on stderr (never secrets)')
            [CompletionResult]::new('--help-long', '--help-long', [CompletionResultType]::ParameterName, 'Same as --help (aws-vault''s name for the long help)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vault;reload' {
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Secret backend to use')
            [CompletionResult]::new('--prompt', '--prompt', [CompletionResultType]::ParameterName, 'Prompt driver to use for passphrases and MFA codes')
            [CompletionResult]::new('--file-dir', '--file-dir', [CompletionResultType]::ParameterName, 'Directory of the encrypted file backend [default: ~/.awsvault/keys]')
            [CompletionResult]::new('--secret-service-collection', '--secret-service-collection', [CompletionResultType]::ParameterName, 'Name of the secret-service collection to use')
            [CompletionResult]::new('--pass-dir', '--pass-dir', [CompletionResultType]::ParameterName, 'Directory of the pass password store [default: $PASSWORD_STORE_DIR or ~/.password-store]')
            [CompletionResult]::new('--pass-cmd', '--pass-cmd', [CompletionResultType]::ParameterName, 'Name of the pass program')
            [CompletionResult]::new('--pass-prefix', '--pass-prefix', [CompletionResultType]::ParameterName, 'Folder inside the pass store that holds vault''s entries')
            [CompletionResult]::new('--keychain', '--keychain', [CompletionResultType]::ParameterName, 'Name of the macOS keychain (keychain backend only, which needs macOS)')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Show debugging output on stderr (never secrets)')
            [CompletionResult]::new('--help-long', '--help-long', [CompletionResultType]::ParameterName, 'Same as --help (aws-vault''s name for the long help)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vault;allow' {
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Secret backend to use')
            [CompletionResult]::new('--prompt', '--prompt', [CompletionResultType]::ParameterName, 'Prompt driver to use for passphrases and MFA codes')
            [CompletionResult]::new('--file-dir', '--file-dir', [CompletionResultType]::ParameterName, 'Directory of the encrypted file backend [default: ~/.awsvault/keys]')
            [CompletionResult]::new('--secret-service-collection', '--secret-service-collection', [CompletionResultType]::ParameterName, 'Name of the secret-service collection to use')
            [CompletionResult]::new('--pass-dir', '--pass-dir', [CompletionResultType]::ParameterName, 'Directory of the pass password store [default: $PASSWORD_STORE_DIR or ~/.password-store]')
            [CompletionResult]::new('--pass-cmd', '--pass-cmd', [CompletionResultType]::ParameterName, 'Name of the pass program')
            [CompletionResult]::new('--pass-prefix', '--pass-prefix', [CompletionResultType]::ParameterName, 'Folder inside the pass store that holds vault''s entries')
            [CompletionResult]::new('--keychain', '--keychain', [CompletionResultType]::ParameterName, 'Name of the macOS keychain (keychain backend only, which needs macOS)')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Show debugging output on stderr (never secrets)')
            [CompletionResult]::new('--help-long', '--help-long', [CompletionResultType]::ParameterName, 'Same as --help (aws-vault''s name for the long help)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vault;deny' {
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Secret backend to use')
            [CompletionResult]::new('--prompt', '--prompt', [CompletionResultType]::ParameterName, 'Prompt driver to use for passphrases and MFA codes')
            [CompletionResult]::new('--file-dir', '--file-dir', [CompletionResultType]::ParameterName, 'Directory of the encrypted file backend [default: ~/.awsvault/keys]')
            [CompletionResult]::new('--secret-service-collection', '--secret-service-collection', [CompletionResultType]::ParameterName, 'Name of the secret-service collection to use')
            [CompletionResult]::new('--pass-dir', '--pass-dir', [CompletionResultType]::ParameterName, 'Directory of the pass password store [default: $PASSWORD_STORE_DIR or ~/.password-store]')
            [CompletionResult]::new('--pass-cmd', '--pass-cmd', [CompletionResultType]::ParameterName, 'Name of the pass program')
            [CompletionResult]::new('--pass-prefix', '--pass-prefix', [CompletionResultType]::ParameterName, 'Folder inside the pass store that holds vault''s entries')
            [CompletionResult]::new('--keychain', '--keychain', [CompletionResultType]::ParameterName, 'Name of the macOS keychain (keychain backend only, which needs macOS)')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Show debugging output on stderr (never secrets)')
            [CompletionResult]::new('--help-long', '--help-long', [CompletionResultType]::ParameterName, 'Same as --help (aws-vault''s name for the long help)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vault;status' {
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Secret backend to use')
            [CompletionResult]::new('--prompt', '--prompt', [CompletionResultType]::ParameterName, 'Prompt driver to use for passphrases and MFA codes')
            [CompletionResult]::new('--file-dir', '--file-dir', [CompletionResultType]::ParameterName, 'Directory of the encrypted file backend [default: ~/.awsvault/keys]')
            [CompletionResult]::new('--secret-service-collection', '--secret-service-collection', [CompletionResultType]::ParameterName, 'Name of the secret-service collection to use')
            [CompletionResult]::new('--pass-dir', '--pass-dir', [CompletionResultType]::ParameterName, 'Directory of the pass password store [default: $PASSWORD_STORE_DIR or ~/.password-store]')
            [CompletionResult]::new('--pass-cmd', '--pass-cmd', [CompletionResultType]::ParameterName, 'Name of the pass program')
            [CompletionResult]::new('--pass-prefix', '--pass-prefix', [CompletionResultType]::ParameterName, 'Folder inside the pass store that holds vault''s entries')
            [CompletionResult]::new('--keychain', '--keychain', [CompletionResultType]::ParameterName, 'Name of the macOS keychain (keychain backend only, which needs macOS)')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print JSON')
            [CompletionResult]::new('--debug', '--debug', [CompletionResultType]::ParameterName, 'Show debugging output on stderr (never secrets)')
            [CompletionResult]::new('--help-long', '--help-long', [CompletionResultType]::ParameterName, 'Same as --help (aws-vault''s name for the long help)')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'vault;help' {
            [CompletionResult]::new('add', 'add', [CompletionResultType]::ParameterValue, 'Add credentials to the secure keystore')
            [CompletionResult]::new('remove', 'remove', [CompletionResultType]::ParameterValue, 'Remove credentials from the secure keystore')
            [CompletionResult]::new('list', 'list', [CompletionResultType]::ParameterValue, 'List profiles, along with their credentials and sessions')
            [CompletionResult]::new('clear', 'clear', [CompletionResultType]::ParameterValue, 'Clear temporary credentials from the secure keystore')
            [CompletionResult]::new('exec', 'exec', [CompletionResultType]::ParameterValue, 'Execute a command with AWS credentials')
            [CompletionResult]::new('export', 'export', [CompletionResultType]::ParameterValue, 'Export AWS credentials')
            [CompletionResult]::new('login', 'login', [CompletionResultType]::ParameterValue, 'Open the AWS console, signed in with PROFILE''s credentials')
            [CompletionResult]::new('rotate', 'rotate', [CompletionResultType]::ParameterValue, 'Rotate the access key stored for PROFILE')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('migrate', 'migrate', [CompletionResultType]::ParameterValue, 'Copy long-term credentials from one backend to another')
            [CompletionResult]::new('hook', 'hook', [CompletionResultType]::ParameterValue, 'Print the shell integration script')
            [CompletionResult]::new('hook-env', 'hook-env', [CompletionResultType]::ParameterValue, 'hook-env')
            [CompletionResult]::new('use', 'use', [CompletionResultType]::ParameterValue, 'Use a profile in this shell until `vault unuse`')
            [CompletionResult]::new('unuse', 'unuse', [CompletionResultType]::ParameterValue, 'unuse')
            [CompletionResult]::new('reload', 'reload', [CompletionResultType]::ParameterValue, 'reload')
            [CompletionResult]::new('allow', 'allow', [CompletionResultType]::ParameterValue, 'Trust (allow) or block (deny) an .awsprofile file')
            [CompletionResult]::new('deny', 'deny', [CompletionResultType]::ParameterValue, 'Trust (allow) or block (deny) an .awsprofile file')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Show which profile this shell uses, and why')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'vault;help;add' {
            break
        }
        'vault;help;remove' {
            break
        }
        'vault;help;list' {
            break
        }
        'vault;help;clear' {
            break
        }
        'vault;help;exec' {
            break
        }
        'vault;help;export' {
            break
        }
        'vault;help;login' {
            break
        }
        'vault;help;rotate' {
            break
        }
        'vault;help;completions' {
            break
        }
        'vault;help;migrate' {
            break
        }
        'vault;help;hook' {
            break
        }
        'vault;help;hook-env' {
            break
        }
        'vault;help;use' {
            break
        }
        'vault;help;unuse' {
            break
        }
        'vault;help;reload' {
            break
        }
        'vault;help;allow' {
            break
        }
        'vault;help;deny' {
            break
        }
        'vault;help;status' {
            break
        }
        'vault;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
