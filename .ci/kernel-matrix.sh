#!/usr/bin/env bash
# Create (or reuse) one virtualenv per ipykernel version for the kernel-tier tests.
#
# Usage: .ci/kernel-matrix.sh DIR [VERSION ...]
#
# Prints one line per version on stdout, "VERSION=/path/to/python"; progress goes to
# stderr.  Join the lines with ';' to get PYWEBIO_NB_KERNEL_PYTHONS:
#
#   export PYWEBIO_NB_KERNEL_PYTHONS="$(.ci/kernel-matrix.sh .venv/kernel-matrix | paste -sd';')"
#
# Environment: PYTHON (base interpreter, default python3), KERNEL_MATRIX_EXTRA
# (extra requirements installed into every venv, default "anywidget ipywidgets comm").
set -euo pipefail

if [[ $# -lt 1 ]]; then
    echo "usage: $0 DIR [VERSION ...]" >&2
    exit 2
fi
root=$1
shift
versions=("$@")
if [[ ${#versions[@]} -eq 0 ]]; then
    versions=(6.29.5 7.0.1 7.3.0 7.4.0)
fi
base_python=${PYTHON:-python3}
extra=${KERNEL_MATRIX_EXTRA:-anywidget ipywidgets comm}

mkdir -p "$root"
root=$(cd "$root" && pwd)

installed_version() {
    # Prints the ipykernel version installed in venv $1, or nothing.
    local py=$1/bin/python
    [[ -x $py ]] || return 0
    "$py" -c 'import importlib.metadata as m; print(m.version("ipykernel"))' 2>/dev/null || true
}

for version in "${versions[@]}"; do
    venv=$root/ipykernel-$version
    wanted="ipykernel==$version $extra"
    stamp=$venv/.kernel-matrix-requirements
    if [[ $(installed_version "$venv") == "$version" && -f $stamp && $(<"$stamp") == "$wanted" ]]; then
        echo "kernel-matrix: reusing $venv" >&2
    else
        if [[ $(installed_version "$venv") == "$version" ]]; then
            echo "kernel-matrix: updating $venv" >&2
        else
            echo "kernel-matrix: creating $venv" >&2
            rm -rf "$venv"
            "$base_python" -m venv "$venv"
        fi
        # shellcheck disable=SC2086  # $extra is a word list on purpose
        "$venv/bin/python" -m pip install --quiet "ipykernel==$version" $extra >&2
        got=$(installed_version "$venv")
        if [[ $got != "$version" ]]; then
            echo "kernel-matrix: $venv has ipykernel '$got', wanted $version" >&2
            exit 1
        fi
        printf '%s' "$wanted" >"$stamp"
    fi
    echo "$version=$venv/bin/python"
done
