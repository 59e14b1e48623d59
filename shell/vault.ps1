# vault shell integration for PowerShell 7+:
#   Invoke-Expression (& vault hook pwsh | Out-String)   in $PROFILE
#
# The prompt hook runs the vault binary only when the directory changed, the
# credentials' refresh deadline passed, or a command asked for a reload.
# State lives in $global:__vault_state, which child processes never see.
# PowerShell never updates $env:PWD on Set-Location, so every call that looks
# at the directory is handed the real one in $env:__VAULT_PWD.
# The shell's own pid ($PID) goes along in __VAULT_PID: a keyless shell's
# token ends when the shell does.

function global:__vault_location {
    (Get-Location -PSProvider FileSystem).ProviderPath
}

function global:__vault_hook {
    $due = $global:__vault_deadline -and ([DateTimeOffset]::UtcNow.ToUnixTimeSeconds() -ge [long]$global:__vault_deadline)
    $here = __vault_location
    if (($global:__vault_pwd -ne $here) -or $global:__vault_force -or $due) {
        $hookArgs = @('hook-env', 'pwsh')
        if ($global:__vault_force) { $hookArgs += '--force' }
        $global:__vault_pwd = $here
        $global:__vault_force = $null
        $env:__VAULT_STATE = $global:__vault_state
        $env:__VAULT_SHELL = 'pwsh'
        $env:__VAULT_PID = $PID
        $env:__VAULT_MODE = __VAULT_MODE__
        $env:__VAULT_PWD = $here
        try {
            $out = & __VAULT_EXE__ @hookArgs | Out-String
            if ($LASTEXITCODE -eq 0 -and $out) { Invoke-Expression $out }
        } finally {
            Remove-Item -LiteralPath 'Env:__VAULT_STATE', 'Env:__VAULT_SHELL', 'Env:__VAULT_PWD', 'Env:__VAULT_MODE', 'Env:__VAULT_PID' -ErrorAction SilentlyContinue
        }
    }
}

function global:__VAULT_CMD__ {
    # Help is text for people, not code to evaluate.
    if ($args -contains '-h' -or $args -contains '--help' -or $args -contains '--help-long') {
        & __VAULT_EXE__ @args
        return
    }
    # The subcommand is the first word that is neither a global flag nor the
    # value of one (`vault --debug use work`, `vault --prompt zenity use admin`).
    $sub = ''
    $skip = $false
    foreach ($word in $args) {
        $word = [string]$word
        if ($skip) {
            $skip = $false
        } elseif ($word.StartsWith('-')) {
            $skip = $word -in @(__VAULT_VALUE_FLAGS__)
        } else {
            $sub = $word
            break
        }
    }
    if ($sub -in 'use', 'unuse', 'reload', 'status') {
        $here = __vault_location
        $env:__VAULT_STATE = $global:__vault_state
        $env:__VAULT_SHELL = 'pwsh'
        $env:__VAULT_PID = $PID
        $env:__VAULT_MODE = __VAULT_MODE__
        $env:__VAULT_PWD = $here
        try {
            $out = & __VAULT_EXE__ @args | Out-String
            $code = $LASTEXITCODE
        } finally {
            Remove-Item -LiteralPath 'Env:__VAULT_STATE', 'Env:__VAULT_SHELL', 'Env:__VAULT_PWD', 'Env:__VAULT_MODE', 'Env:__VAULT_PID' -ErrorAction SilentlyContinue
        }
        if ($sub -eq 'status') { $out; return }
        if ($code -eq 0 -and $out) { Invoke-Expression $out; $global:__vault_pwd = $here }
    } elseif ($sub -in 'allow', 'deny') {
        $env:__VAULT_PWD = __vault_location
        try {
            & __VAULT_EXE__ @args
            $code = $LASTEXITCODE
        } finally {
            Remove-Item -LiteralPath Env:__VAULT_PWD -ErrorAction SilentlyContinue
        }
        if ($code -eq 0) { $global:__vault_force = $true; __vault_hook }
    } else {
        & __VAULT_EXE__ @args
    }
}

# Register once: wrap the prompt, keeping the user's prompt and $LASTEXITCODE.
if (-not $global:__vault_prompt_wrapped) {
    $global:__vault_prompt_wrapped = $true
    $global:__vault_original_prompt = $function:prompt
    function global:prompt {
        $code = $global:LASTEXITCODE
        __vault_hook
        $global:LASTEXITCODE = $code
        & $global:__vault_original_prompt
    }
}
