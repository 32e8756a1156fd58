# Sourced by build.sh (and run by the tests): the keys that let a warm ./build.sh skip work that would change nothing.
# Run from the repository root. build.ps1 computes the same keys in PowerShell.

# sha256 of stdin or of files, with the tools each platform has (GNU coreutils, or macOS's shasum).
if command -v sha256sum >/dev/null 2>&1; then kit_sha256_tool=(sha256sum); else kit_sha256_tool=(shasum -a 256); fi
kit_sha256() { "${kit_sha256_tool[@]}" "$@"; }

# Every file the kit's build reads: its sources, project and embedded resources (build/PipelineKit, without bin/ and
# obj/), the templates it embeds (cloudformation/*.yaml), and the repository-wide build settings and tool manifest.
kit_build_inputs() {
  find build/PipelineKit \( -path build/PipelineKit/bin -o -path build/PipelineKit/obj \) -prune -o -type f -print0
  find cloudformation -maxdepth 1 -type f -name '*.yaml' -print0
  local f
  for f in Directory.Build.props Directory.Build.targets Directory.Packages.props NuGet.config nuget.config global.json \
           .config/dotnet-tools.json; do
    if [[ -f $f ]]; then printf '%s\0' "$f"; fi
  done
}

# The kit's build key: a hash of the content and name of every input, so any edit, addition, removal or rename
# changes it (a touch without a change does not: the build would produce the same assembly).
kit_build_key() {
  { printf 'PipelineKit Release v1\n'; kit_build_inputs | LC_ALL=C sort -z | xargs -0 "${kit_sha256_tool[@]}"; } \
    | kit_sha256 | cut -c1-64
}

# What the last build left in bin/: the kit's assembly and its dependency list. build.sh records it beside the build key
# and builds again when it differs, so a bin/ another build overwrote (another branch, a Debug-to-Release copy) is not
# taken for the one the recorded inputs made.
kit_output_key() {
  local bin=$1
  cat "$bin/PipelineKit.dll" "$bin/PipelineKit.deps.json" 2>/dev/null | kit_sha256 | cut -c1-64
}

# Cake's script cache keys a compiled build.cake by the script's text only (Cake's RoslynScriptSession), not by the
# assemblies it loads with #r or by Cake's own version: this key names both, and build.sh empties the cache when it changes.
script_cache_key() {
  local cake_version=$1 kit_dll=$2
  printf 'cake %s kit %s\n' "$cake_version" "$(kit_sha256 <"$kit_dll" | cut -c1-64)"
}
