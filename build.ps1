# Usage: ./build.ps1 <Target> [--option value ...]     e.g. ./build.ps1 BootstrapAll --sandbox
$ErrorActionPreference = 'Stop'
# A relative --config is the caller's path: the kit resolves it against this directory, not the kit's folder.
$env:PIPELINEKIT_CALLER_DIR = (Get-Location).ProviderPath
Set-Location $PSScriptRoot
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'; $env:DOTNET_NOLOGO = '1'

$target = 'Help'
$rest = @($args)
if ($rest.Count -gt 0 -and -not "$($rest[0])".StartsWith('-')) { $target = $rest[0]; $rest = @($rest | Select-Object -Skip 1) }
if ($rest -contains '--help' -or $rest -contains '-h') { $target = 'Help'; $rest = @() }

dotnet tool restore | Out-Null
dotnet build build/PipelineKit/PipelineKit.csproj -c Release --nologo -v quiet -clp:ErrorsOnly
if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }

if ($target -eq 'Help') {
  Write-Output 'Usage: ./build.ps1 <Target> [--config pipeline.json] [--sandbox] [--profile NAME] [--parallelism N] [--exclusive] [--direct]'
  dotnet cake build.cake --description
} else {
  dotnet cake build.cake "--target=$target" @rest
}
exit $LASTEXITCODE
