#!/usr/bin/env bash
# CID + CAR throughput: Serigraph's CarPacker vs ipfs-car 3.1.0 packing the same folder of images.
#
#   benchmarks/cid-vs-ipfs-car.sh [IMAGES_DIR] [RUNS]
#
# Without IMAGES_DIR, renders the 1,000-token demo drop into target/cid-bench (once) and uses its
# out/images. Needs ipfs-car from chain-bridge/src/test/ipfs-car (npm install --no-save there; pinned lock file)
# and the benchmarks jar (mvn -pl benchmarks -am package -DskipTests). Prints wall-clock times of
# whole processes (what a user waits for) and the in-process warm time, and checks that both CAR
# files are byte-identical.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
runs="${2:-5}"
images="${1:-}"
if [ -z "$images" ]; then
    demo="$root/target/cid-bench"
    if [ ! -f "$demo/out/images/1000.png" ]; then
        "$root/serigraph" demo "$demo" --size 1000 >/dev/null
    fi
    images="$demo/out/images"
fi
ipfs_car="$root/chain-bridge/src/test/ipfs-car/node_modules/.bin/ipfs-car"
[ -x "$ipfs_car" ] || (cd "$root/chain-bridge/src/test/ipfs-car" && npm install --no-save --no-audit --no-fund >/dev/null)
jar="$root/benchmarks/target/benchmarks.jar"
[ -f "$jar" ] || (cd "$root" && mvn -B -q -DskipTests -Dspotless.check.skip=true -pl benchmarks -am package)

out="$(mktemp -d)"
trap 'rm -rf "$out"' EXIT
ms() { echo $(( $(date +%s%N) / 1000000 )); }
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }

echo "folder: $images ($(ls "$images" | wc -l) files, $(du -sh "$images" | cut -f1))"
echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs), load $(cut -d' ' -f1-3 /proc/loadavg)"

node_times=()
for _ in $(seq "$runs"); do
    t=$(ms); "$ipfs_car" pack "$images" --output "$out/ipfs-car.car" >/dev/null; node_times+=($(( $(ms) - t )))
done
java_times=()
for _ in $(seq "$runs"); do
    t=$(ms); java -cp "$jar" io.serigraph.benchmarks.CarPackHarness "$images" "$out/serigraph.car" 0 >/dev/null
    java_times+=($(( $(ms) - t )))
done
cmp "$out/ipfs-car.car" "$out/serigraph.car"
node_med=$(printf '%s\n' "${node_times[@]}" | median)
java_med=$(printf '%s\n' "${java_times[@]}" | median)
echo "ipfs-car pack (node process):          median ${node_med} ms of ${node_times[*]}"
echo "CarPacker (fresh java process, cold):  median ${java_med} ms of ${java_times[*]}"
java -cp "$jar" io.serigraph.benchmarks.CarPackHarness "$images" "$out/serigraph.car" 10 | sed 's/^/CarPacker in-process: /'
cmp "$out/ipfs-car.car" "$out/serigraph.car"
echo "CAR files byte-identical: yes"
