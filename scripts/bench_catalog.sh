#!/usr/bin/env bash
# A first, hand-run measurement of inventory reads against a bare FastAPI app,
# both served by one uvicorn worker pinned to CPU 0, loaded by wrk on CPU 1.
# Rounds interleave the cases so machine noise hits all of them alike.
# Usage: scripts/bench_catalog.sh [rounds] [seconds]   (make run must be up)
set -euo pipefail
rounds=${1:-3}
seconds=${2:-5}
base=http://127.0.0.1:8001
bare_port=8099
workdir=$(mktemp -d)
trap 'kill $bare_pid 2>/dev/null || true; rm -rf "$workdir"' EXIT

cat > "$workdir/bare.py" <<'PY'
from fastapi import FastAPI

app = FastAPI()


@app.get("/hello")
async def hello() -> dict[str, str]:
    return {"status": "ok"}
PY
(cd "$workdir" && exec taskset -c 0 uv run --project "$OLDPWD" --no-sync uvicorn bare:app \
  --port $bare_port --log-level warning --no-access-log) &
bare_pid=$!
sleep 3
inventory_pid=$(pgrep -f "python -m bazaar_inventory" | head -1)
taskset -pc 0 "$inventory_pid" >/dev/null

sku=$(curl -fsS "$base/inventory/products?limit=1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["items"][0]["sku"])')
declare -A urls=(
  [bare]="http://127.0.0.1:$bare_port/hello"
  [healthz]="$base/healthz"
  [product]="$base/inventory/products/$sku"
  [page20]="$base/inventory/products?limit=20"
)
for round in $(seq "$rounds"); do
  for case in bare healthz product page20; do
    rps=$(taskset -c 1 wrk -t1 -c16 -d"${seconds}s" "${urls[$case]}" | awk '/Requests\/sec/ {print $2}')
    echo "round=$round case=$case rps=$rps"
  done
done
