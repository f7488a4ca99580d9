#!/usr/bin/env bash
# Bench section: the device's host HTTP range source alone (`ota fetch`: HttpRangeSource, 4 KiB
# block reads into one reused buffer, no engine, no flash) against curl, on ota serve and on
# nginx, same file, same run; plus ota serve against nginx as a server (curl on both), and the
# managed bytes allocated per MiB in the read loop. Engine + flash throughput: 20-download.sh.
# $1 = build folder. Prints Markdown on stdout.
set -euo pipefail
build=${1:-build}
ota="$build/bin/ota"
runs=${BENCH_FETCH_RUNS:-7}
work=$(mktemp -d)
pids=()
cleanup() { for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done; rm -rf "$work"; }
trap cleanup EXIT
mkdir -p "$work/srv" "$work/nginx"
head -c $((16 * 1024 * 1024)) /dev/urandom > "$work/srv/blob.bin"
size=$(stat -c %s "$work/srv/blob.bin")

"$ota" serve "$work/srv" --quiet > "$work/serve.out" 2>/dev/null &
pids+=($!)
for _ in $(seq 1 100); do grep -q '^serving' "$work/serve.out" 2>/dev/null && break; sleep 0.1; done
serve_url=$(sed -n 's/^serving .* at \(http:[^ ]*\)\/$/\1/p' "$work/serve.out")

port=$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
p="$work/nginx"
cat > "$p/nginx.conf" <<CONF
daemon off; master_process off; worker_processes 1;
error_log $p/error.log warn; pid $p/nginx.pid;
events { worker_connections 64; }
http { access_log off; client_body_temp_path $p/b; proxy_temp_path $p/p; fastcgi_temp_path $p/f;
       uwsgi_temp_path $p/u; scgi_temp_path $p/s; default_type application/octet-stream; sendfile on;
       server { listen 127.0.0.1:$port; root $work/srv; location / { } } }
CONF
nginx -p "$p" -e "$p/error.log" -c "$p/nginx.conf" &
pids+=($!)
for _ in $(seq 1 100); do curl -s -o /dev/null "http://127.0.0.1:$port/blob.bin" && break; sleep 0.1; done
nginx_url="http://127.0.0.1:$port"

# best-of-N wall time of curl, in ms
curl_best() {
  local best="" t
  for _ in $(seq 1 "$runs"); do
    t=$(curl -s -o /dev/null -w '%{time_total}' "$1")
    best=$(python3 -c "import sys; a=float(sys.argv[1])*1000; b=sys.argv[2]; print(a if b=='' else min(a,float(b)))" "$t" "$best")
  done
  echo "$best"
}
fetch_json() { "$ota" fetch "$1" -o /dev/null --runs "$runs" --json; }
field() { python3 -c "import json,sys; print(json.loads(sys.argv[1])[sys.argv[2]])" "$1" "$2"; }

c_serve=$(curl_best "$serve_url/blob.bin"); f_serve=$(fetch_json "$serve_url/blob.bin")
c_nginx=$(curl_best "$nginx_url/blob.bin"); f_nginx=$(fetch_json "$nginx_url/blob.bin")

python3 - "$size" "$runs" "$c_serve" "$f_serve" "$c_nginx" "$f_nginx" <<'PY'
import json, sys
size, runs = int(sys.argv[1]), int(sys.argv[2])
c_serve, f_serve, c_nginx, f_nginx = float(sys.argv[3]), json.loads(sys.argv[4]), float(sys.argv[5]), json.loads(sys.argv[6])
mb = size / 1e6
print("## Device transport over loopback (host range source vs curl)")
print()
print(f"One {size // 1048576} MiB file over 127.0.0.1, best of {runs} runs each, same machine and run. `ota fetch` is the")
print("simulator's HttpRangeSource (HttpClient, blocking socket reads of 4 KiB into one reused buffer,")
print("no engine, no flash; the engine + flash path is the \"Download\" section). ratio = our time / curl's")
print("time on the same server (1.00 = as fast as curl; higher = slower). Allocations: managed bytes per")
print("MiB in the read loop (GC.GetAllocatedBytesForCurrentThread), target <= 8 KiB/MiB.")
print()
print("| server | curl ms | curl MB/s | range source ms | range source MB/s | ratio | alloc B/MiB |")
print("|---|---:|---:|---:|---:|---:|---:|")
for name, c, f in (("ota serve", c_serve, f_serve), ("nginx", c_nginx, f_nginx)):
    print(f"| {name} | {c:.1f} | {mb / (c / 1000):.0f} | {f['best_ms']:.1f} | {mb / (f['best_ms'] / 1000):.0f} | "
          f"{f['best_ms'] / c:.2f} | {f['alloc_per_mib']:.0f} |")
print()
print(f"Server: curl from ota serve takes {c_serve / c_nginx:.2f}x the time of curl from nginx "
      f"({'ota serve copies through user space with 64 KiB writes, nginx uses sendfile' if c_serve > c_nginx else 'no slower than nginx'}).")
ok = max(f_serve["alloc_per_mib"], f_nginx["alloc_per_mib"]) <= 8192
print(f"Allocation target (<= 8 KiB/MiB): {'met' if ok else 'MISSED'}.")
PY
