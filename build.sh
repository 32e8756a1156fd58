#!/usr/bin/env bash
# Usage: ./build.sh <Target> [--option value ...]     e.g. ./build.sh BootstrapAll --sandbox
#        ./build.sh --target <Target> [...]           Cake's own form, as --target=<Target>
#        ./build.sh --help                            lists the targets (Cake's --tree and --dryrun work too)
set -euo pipefail
# A relative --config is the caller's path: the kit resolves it against this directory, not the kit's folder.
export PIPELINEKIT_CALLER_DIR="$PWD"
cd "$(dirname "${BASH_SOURCE[0]}")"

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

# The target: the first word when it is not an option, or Cake's --target NAME / --target=NAME. Without one, and
# without one of Cake's views of the graph (--tree, --description, --dryrun, ...), the run prints the help: a bare
# option such as --sandbox never runs Cake's default target by surprise.
target=""
if [[ $# -gt 0 && $1 != -* ]]; then target=$1; shift; fi
named=false view=false help=false
for word in "$@"; do
  case $word in
    --help|-h) help=true ;;
    --target|--target=*) named=true ;;
    --tree|--showtree|--description|--descriptions|--showdescription|--showdescriptions|--dryrun|--noop|--whatif|--version|--ver|--info)
      view=true ;;
  esac
done
if [[ -n $target && $named == true ]]; then
  echo "The target is named twice: write ./build.sh $target ... or ./build.sh --target $target ..., not both." >&2
  exit 3
fi
if [[ $help == true || ( -z $target && $named == false && $view == false ) ]]; then target="Help"; set --; fi

# Cake's assembly, run in this process rather than through `dotnet cake`: that launcher runs Cake as a child and does
# not pass on a SIGINT or SIGTERM sent to it (CI runners and `kill` signal one process, not the group), so the work
# would go on after the runner stopped it. The tool restore puts it in the NuGet packages folder; it is skipped when
# the manifest's version is there already.
cake_version=$(sed -n '/"cake.tool"/,/}/s/.*"version": *"\([^"]*\)".*/\1/p' .config/dotnet-tools.json)
cake_dll="${NUGET_PACKAGES:-$HOME/.nuget/packages}/cake.tool/$cake_version/tools/net10.0/any/Cake.dll"
if [[ ! -f $cake_dll ]]; then dotnet tool restore >/dev/null; fi

# build.cake loads the compiled kit (#r). An incremental `dotnet build` costs about 2 s even when nothing changed, so it
# runs only when an input of the kit's build changed since the last successful one (build/scripts/kit-build-key.sh).
source build/scripts/kit-build-key.sh
kit_bin=build/PipelineKit/bin/Release/net10.0
kit_dll=$kit_bin/PipelineKit.dll
kit_stamp=build/PipelineKit/obj/build-sh.kit-key
kit_key=$(kit_build_key)
if [[ ! -f $kit_dll || ! -f $kit_stamp || $(<"$kit_stamp") != "$kit_key $(kit_output_key "$kit_bin")" ]]; then
  dotnet build build/PipelineKit/PipelineKit.csproj -c Release --nologo -v quiet -clp:ErrorsOnly -p:WarningLevel=0 >/dev/null \
    || dotnet build build/PipelineKit/PipelineKit.csproj -c Release --nologo -v quiet -clp:ErrorsOnly
  printf '%s %s\n' "$kit_key" "$(kit_output_key "$kit_bin")" >"$kit_stamp"
fi

# Cake's script cache (CAKE_SETTINGS_ENABLESCRIPTCACHE, CAKE_PATHS_CACHE: cakebuild.net, "Default Configuration
# Values") saves compiling build.cake on every run. Cake keys it by the script's text alone; the folder is emptied
# when the kit's assembly or Cake's version changed (script_cache_key), so the script never runs against another kit.
script_cache=build/PipelineKit/obj/cake-script-cache
cache_key=$(script_cache_key "$cake_version" "$kit_dll")
if [[ ! -f $script_cache/key || $(<"$script_cache/key") != "$cache_key" ]]; then
  rm -rf "$script_cache"
  mkdir -p "$script_cache"
  printf '%s\n' "$cache_key" >"$script_cache/key"
fi
export CAKE_SETTINGS_ENABLESCRIPTCACHE="${CAKE_SETTINGS_ENABLESCRIPTCACHE:-true}" CAKE_PATHS_CACHE="$PWD/$script_cache"

cake=(dotnet cake)
if [[ -f $cake_dll ]]; then cake=(dotnet "$cake_dll"); fi
if [[ $target == Help ]]; then
  echo "Usage: ./build.sh <Target> [--config pipeline.json] [--sandbox] [--profile NAME] [--parallelism N] [--exclusive] [--direct]"
  exec "${cake[@]}" build.cake --description
fi
if [[ -n $target ]]; then set -- --target="$target" "$@"; fi
exec "${cake[@]}" build.cake "$@"
