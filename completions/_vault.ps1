
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
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'vault;add' {
            [CompletionResult]::new('--add-config', '--add-config', [CompletionResultType]::ParameterName, 'Add a [profile PROFILE] section to the AWS config file if it is missing')
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Secret backend to use')
            [CompletionResult]::new('--prompt', '--prompt', [CompletionResultType]::ParameterName, 'Prompt driver to use for passphrases and MFA codes')
            [CompletionResult]::new('--file-dir', '--file-dir', [CompletionResultType]::ParameterName, 'Directory of the encrypted file backend [default: ~/.awsvault/keys]')
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
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Secret backend to use')
            [CompletionResult]::new('--prompt', '--prompt', [CompletionResultType]::ParameterName, 'Prompt driver to use for passphrases and MFA codes')
            [CompletionResult]::new('--file-dir', '--file-dir', [CompletionResultType]::ParameterName, 'Directory of the encrypted file backend [default: ~/.awsvault/keys]')
            [CompletionResult]::new('-n', '-n', [CompletionResultType]::ParameterName, 'Skip GetSessionToken: use the long-term keys directly, or assume the role straight from them')
            [CompletionResult]::new('--no-session', '--no-session', [CompletionResultType]::ParameterName, 'Skip GetSessionToken: use the long-term keys directly, or assume the role straight from them')
            [CompletionResult]::new('-j', '-j', [CompletionResultType]::ParameterName, 'Print the credentials as credential_process JSON instead of running a command')
            [CompletionResult]::new('--json', '--json', [CompletionResultType]::ParameterName, 'Print the credentials as credential_process JSON instead of running a command')
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
        'vault;completions' {
            [CompletionResult]::new('--backend', '--backend', [CompletionResultType]::ParameterName, 'Secret backend to use')
            [CompletionResult]::new('--prompt', '--prompt', [CompletionResultType]::ParameterName, 'Prompt driver to use for passphrases and MFA codes')
            [CompletionResult]::new('--file-dir', '--file-dir', [CompletionResultType]::ParameterName, 'Directory of the encrypted file backend [default: ~/.awsvault/keys]')
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
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Print a shell completion script')
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
        'vault;help;completions' {
            break
        }
        'vault;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
