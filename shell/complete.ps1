# Tab completion: `vault __complete` answers for the words left of the
# cursor, reading the AWS config and the store's key names (never unlocking
# it). Where it has no answer, PowerShell completes file names.
$global:__vault_completer = {
    param($wordToComplete, $commandAst, $cursorPosition)
    $words = @(foreach ($element in $commandAst.CommandElements) {
        if ($element.Extent.EndOffset -ge $cursorPosition) { break }
        if ($element -is [System.Management.Automation.Language.StringConstantExpressionAst]) { $element.Value } else { $element.Extent.Text }
    })
    $current = $wordToComplete -replace '^[''"]', ''
    & __VAULT_EXE__ __complete pwsh "--cur=$current" -- @words 2>$null | ForEach-Object {
        $value, $help = $_ -split "`t", 2
        $text = if ($value -match '^-{0,2}[\w][\w@./:=+,-]*$') { $value } else { "'" + ($value -replace "'", "''") + "'" }
        $kind = if ($value.StartsWith('-')) { 'ParameterName' } else { 'ParameterValue' }
        [System.Management.Automation.CompletionResult]::new($text, $value, $kind, $(if ($help) { $help } else { $value }))
    }
}
