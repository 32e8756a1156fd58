# Usage: ./build.ps1 <Target> [--option value ...]     e.g. ./build.ps1 BootstrapAll --sandbox
#        ./build.ps1 --target <Target> [...]           Cake's own form, as --target=<Target>; --tree and --dryrun work too
# The same steps as build.sh; the keys are computed here with PowerShell's own hashing (Get-FileHash).
$ErrorActionPreference = 'Stop'
# A relative --config is the caller's path: the kit resolves it against this directory, not the kit's folder.
$env:PIPELINEKIT_CALLER_DIR = (Get-Location).ProviderPath
Set-Location $PSScriptRoot
$env:DOTNET_CLI_TELEMETRY_OPTOUT = '1'; $env:DOTNET_NOLOGO = '1'; $env:DOTNET_SKIP_FIRST_TIME_EXPERIENCE = '1'

# The target: the first word when it is not an option, or Cake's --target NAME / --target=NAME. Without one, and without
# one of Cake's views of the graph (--tree, --description, --dryrun, ...), the run prints the help.
$target = ''
$rest = @($args)
if ($rest.Count -gt 0 -and -not "$($rest[0])".StartsWith('-')) { $target = "$($rest[0])"; $rest = @($rest | Select-Object -Skip 1) }
$views = @('--tree', '--showtree', '--description', '--descriptions', '--showdescription', '--showdescriptions',
           '--dryrun', '--noop', '--whatif', '--version', '--ver', '--info')
$named = @($rest | Where-Object { "$_" -eq '--target' -or "$_".StartsWith('--target=') }).Count -gt 0
$view = @($rest | Where-Object { $views -contains "$_" }).Count -gt 0
$help = ($rest -contains '--help') -or ($rest -contains '-h')
if ($target -and $named) {
  [Console]::Error.WriteLine("The target is named twice: write ./build.ps1 $target ... or ./build.ps1 --target $target ..., not both.")
  exit 3
}
if ($help -or (-not $target -and -not $named -and -not $view)) { $target = 'Help'; $rest = @() }

# Cake's assembly from the NuGet packages folder; the tool restore runs only when the manifest's version is not there.
$cakeVersion = (Get-Content .config/dotnet-tools.json -Raw | ConvertFrom-Json).tools.'cake.tool'.version
$packages = if ($env:NUGET_PACKAGES) { $env:NUGET_PACKAGES } else { Join-Path $HOME '.nuget/packages' }
$cakeDll = Join-Path $packages "cake.tool/$cakeVersion/tools/net10.0/any/Cake.dll"
if (-not (Test-Path $cakeDll -PathType Leaf)) { dotnet tool restore | Out-Null; if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE } }

function Get-TextHash([string]$text) {
  $stream = [IO.MemoryStream]::new([Text.Encoding]::UTF8.GetBytes($text))
  try { (Get-FileHash -InputStream $stream -Algorithm SHA256).Hash.ToLowerInvariant() } finally { $stream.Dispose() }
}

# Every file the kit's build reads (as build/scripts/kit-build-key.sh lists them), by name and content.
function Get-KitBuildKey {
  $files = @(Get-ChildItem build/PipelineKit -Force | Where-Object { $_.Name -notin @('bin', 'obj') } |
    ForEach-Object { if ($_.PSIsContainer) { Get-ChildItem $_.FullName -Recurse -File -Force } else { $_ } })
  $files += @(Get-ChildItem cloudformation -Filter *.yaml -File)
  foreach ($name in @('Directory.Build.props', 'Directory.Build.targets', 'Directory.Packages.props', 'NuGet.config', 'nuget.config',
                      'global.json', '.config/dotnet-tools.json')) {
    if (Test-Path $name -PathType Leaf) { $files += Get-Item $name -Force }
  }
  $lines = $files | ForEach-Object { "$((Get-FileHash $_.FullName -Algorithm SHA256).Hash)  $(Resolve-Path $_.FullName -Relative)" } |
    Sort-Object -CaseSensitive
  Get-TextHash ("PipelineKit Release v1`n" + ($lines -join "`n"))
}

# What the last build left in bin/: the kit's assembly and its dependency list.
function Get-KitOutputKey([string]$bin) {
  $hashes = @('PipelineKit.dll', 'PipelineKit.deps.json') | ForEach-Object {
    $path = Join-Path $bin $_
    if (Test-Path $path -PathType Leaf) { (Get-FileHash $path -Algorithm SHA256).Hash } else { '-' }
  }
  Get-TextHash ($hashes -join ' ')
}

# The kit is built only when an input changed since the last successful build, or bin/ is not what that build left.
$kitBin = 'build/PipelineKit/bin/Release/net10.0'
$kitDll = Join-Path $kitBin 'PipelineKit.dll'
$kitStamp = 'build/PipelineKit/obj/build-ps1.kit-key'
$kitKey = Get-KitBuildKey
$recorded = if (Test-Path $kitStamp -PathType Leaf) { (Get-Content $kitStamp -Raw).Trim() } else { '' }
if (-not (Test-Path $kitDll -PathType Leaf) -or $recorded -ne "$kitKey $(Get-KitOutputKey $kitBin)") {
  dotnet build build/PipelineKit/PipelineKit.csproj -c Release --nologo -v quiet -clp:ErrorsOnly
  if ($LASTEXITCODE -ne 0) { exit $LASTEXITCODE }
  Set-Content -Path $kitStamp -Value "$kitKey $(Get-KitOutputKey $kitBin)"
}

# Cake's script cache, emptied when the kit's assembly or Cake's version changed (Cake keys it by build.cake's text alone).
$scriptCache = 'build/PipelineKit/obj/cake-script-cache'
$cacheKey = "cake $cakeVersion kit $((Get-FileHash $kitDll -Algorithm SHA256).Hash)"
$cacheKeyFile = Join-Path $scriptCache 'key'
if (-not (Test-Path $cacheKeyFile -PathType Leaf) -or (Get-Content $cacheKeyFile -Raw).Trim() -ne $cacheKey) {
  if (Test-Path $scriptCache) { Remove-Item $scriptCache -Recurse -Force }
  New-Item -ItemType Directory -Path $scriptCache -Force | Out-Null
  Set-Content -Path $cacheKeyFile -Value $cacheKey
}
if (-not $env:CAKE_SETTINGS_ENABLESCRIPTCACHE) { $env:CAKE_SETTINGS_ENABLESCRIPTCACHE = 'true' }
$env:CAKE_PATHS_CACHE = Join-Path $PSScriptRoot $scriptCache

$cake = if (Test-Path $cakeDll -PathType Leaf) { @($cakeDll) } else { @('cake') }
if ($target -eq 'Help') {
  Write-Output 'Usage: ./build.ps1 <Target> [--config pipeline.json] [--sandbox] [--profile NAME] [--parallelism N] [--exclusive] [--direct]'
  dotnet @cake build.cake --description
} elseif ($target) {
  dotnet @cake build.cake "--target=$target" @rest
} else {
  dotnet @cake build.cake @rest
}
exit $LASTEXITCODE
