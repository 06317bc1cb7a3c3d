#!/usr/bin/env bash
# Writes src/PackageBaselines/<id>.<version>.nupkg for every package: the public surface a release
# promises, against which `dotnet pack` validates every later build of the same major version
# (a member removed or changed in a way that breaks a compiled caller fails the pack, naming it).
# Run it once per major release, on the commit that is released: bash scripts/pack-baselines.sh 1.0.0
# The baselines keep only what validation reads (the nuspec and lib/*/*.dll), to stay small.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
version="${1:?usage: pack-baselines.sh VERSION}"
packages=(MpegCoder MpegCoder.OpenCvSharp MpegCoder.ImageSharp MpegCoder.Tensors MpegCoder.Hosting)
out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
for id in "${packages[@]}"; do
  # No validation while the baseline itself is made: it is what later packs are compared with.
  dotnet pack "src/$id/$id.csproj" -c Release -nologo -o "$out" -p:VersionPrefix="$version" \
    -p:EnablePackageValidation=false >/dev/null
  /usr/bin/python3 - "$out/$id.$version.nupkg" "src/PackageBaselines/$id.$version.nupkg" <<'PY'
import sys, zipfile
source, target = sys.argv[1:]
with zipfile.ZipFile(source) as zin, zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as zout:
    for item in zin.infolist():
        if item.filename.endswith((".xml", ".md", ".png")) and item.filename != "[Content_Types].xml":
            continue  # docs, readme and icon: validation reads none of them
        zout.writestr(item, zin.read(item))
PY
  echo "src/PackageBaselines/$id.$version.nupkg"
done
