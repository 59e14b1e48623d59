# vault shell integration for PowerShell 7+:
#   Invoke-Expression (& vault hook pwsh | Out-String)   in $PROFILE
#
# The prompt hook runs the vault binary only when the credentials' refresh
# deadline passed, a command asked for a reload, or the directory changed in
# a way that matters (__vault_unchanged): a cd within one profile starts no
# process.
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
    $run = $global:__vault_force -or $due
    if ($global:__vault_pwd -cne $here) {
        $global:__vault_pwd = $here
        if (-not $run -and -not (__vault_unchanged $here)) { $run = $true }
    }
    if ($run) {
        $hookArgs = @('hook-env', 'pwsh')
        if ($global:__vault_force) { $hookArgs += '--force' }
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

# Whether a run of vault in $dir would change nothing, told in-process from
# what its last run left: the same `vault exec` and mode settings, and
# either a profile pinned by `vault use` or the same nearest .awsprofile
# (path and contents, found as vault looks: upwards, no higher than HOME
# from inside it) under the same trust records (a token `vault allow` and
# `deny` replace). Anything else runs vault, which decides afresh.
# Strings compare with -ceq: -eq ignores case.
function global:__vault_unchanged([string]$dir) {
    if ($null -eq $global:__vault_file) { return $false }
    if (([string]$env:AWS_VAULT -cne [string]$global:__vault_exec) -or
        ([string]$env:VAULT_HOOK_MODE -cne [string]$global:__vault_hook_mode)) { return $false }
    if ($global:__vault_file -ceq 'pinned') { return $true }
    $homeDir = [string]$env:HOME
    $stop = $null
    if ($homeDir -and (($dir -ceq $homeDir) -or $dir.StartsWith("$homeDir/", [StringComparison]::Ordinal))) {
        $stop = $homeDir
    }
    while ($true) {
        $file = $dir.TrimEnd('/') + '/.awsprofile'
        if ([System.IO.File]::Exists($file)) { break }
        if (($dir -ceq $stop) -or ($dir -cnotmatch '^/.')) { return [string]$global:__vault_file -ceq '' }
        $dir = $dir.Substring(0, $dir.LastIndexOf('/'))
        if (-not $dir) { $dir = '/' }
    }
    if ($file -cne $global:__vault_file) { return $false }
    try {
        $text = [System.IO.File]::ReadAllText($file)
    } catch {
        return $false
    }
    if ($text -cne $global:__vault_text) { return $false }
    $token = ''
    try { $token = [System.IO.File]::ReadAllText([string]$global:__vault_trust_file).TrimEnd() } catch { }
    return $token -ceq [string]$global:__vault_trust
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
        # The state tells which variables the hook set, so that `vault exec
        # other` here reads your own AWS_REGION, not this profile's.
        $env:__VAULT_STATE = $global:__vault_state
        try {
            & __VAULT_EXE__ @args
        } finally {
            Remove-Item -LiteralPath Env:__VAULT_STATE -ErrorAction SilentlyContinue
        }
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
