#!/usr/bin/env bash
# Usage: ./build.sh <Target> [--option value ...]     e.g. ./build.sh BootstrapAll --sandbox
#        ./build.sh --help                            lists the targets
set -euo pipefail
# A relative --config is the caller's path: the kit resolves it against this directory, not the kit's folder.
export PIPELINEKIT_CALLER_DIR="$PWD"
cd "$(dirname "${BASH_SOURCE[0]}")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

target=""
if [[ $# -gt 0 && $1 != -* ]]; then target=$1; shift; fi
if [[ -z $target || ${1:-} == --help || ${1:-} == -h ]]; then target="Help"; set --; fi

dotnet tool restore >/dev/null
# build.cake loads the compiled kit (#r); build it first. Incremental: about 2 s when nothing changed.
dotnet build build/PipelineKit/PipelineKit.csproj -c Release --nologo -v quiet -clp:ErrorsOnly -p:WarningLevel=0 >/dev/null \
  || dotnet build build/PipelineKit/PipelineKit.csproj -c Release --nologo -v quiet -clp:ErrorsOnly

if [[ $target == Help ]]; then
  echo "Usage: ./build.sh <Target> [--config pipeline.json] [--sandbox] [--profile NAME] [--parallelism N] [--exclusive] [--direct]"
  exec dotnet cake build.cake --description
fi
# Cake runs in this process rather than under `dotnet cake`: the dotnet host starts a local tool as a child process and
# does not pass on a SIGINT sent to it alone (by a CI runner, a supervisor, `kill -INT`), so the run would go on.
# The tool's own Cake.dll, as `dotnet cake` would start it; `dotnet cake` when it is not where NuGet puts it.
cake_version=$(sed -n 's/.*"version": *"\([^"]*\)".*/\1/p' .config/dotnet-tools.json)
cake_dll="${NUGET_PACKAGES:-$HOME/.nuget/packages}/cake.tool/$cake_version/tools/net$(dotnet --version | cut -d. -f1).0/any/Cake.dll"
if [[ -f $cake_dll ]]; then exec dotnet "$cake_dll" build.cake --target="$target" "$@"; fi
exec dotnet cake build.cake --target="$target" "$@"
