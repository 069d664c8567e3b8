#!/bin/sh
# ABBA alternation of bench/isolated.ts between another checkout (A, e.g. /work/main) and this one (B):
#   sh bench/abba.sh /work/main 10000 3
A=$1; N=${2:-10000}; ROUNDS=${3:-3}; B=$(cd "$(dirname "$0")/.." && pwd)
run() { (cd "$1" && node --import tsx --expose-gc bench/isolated.ts arbiter "$N"); }
for r in $(seq "$ROUNDS"); do
  echo "A $(run "$A")"; echo "B $(run "$B")"; echo "B $(run "$B")"; echo "A $(run "$A")"
done
