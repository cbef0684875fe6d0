#!/usr/bin/python3
"""load.py: drives bisearch-serve on loopback with N concurrent clients over the benchmark queries.

The queries are bench.py's: 1,000 derived from the speeches' own words (derive_queries), run on an
index of the speeches (the first --speeches of /work/shared/data/speeches-ko/speeches.jsonl, built
here unless --db names one). For each client count (default 1, 4, 16) the clients search for
--seconds, each over HTTP/1.1 keep-alive, round-robin over the queries from its own offset; in the
middle of every run bisearch-index commits an update (one added document), so the figures include
the server picking up a new index state. Reported: requests/s, p50/p99/max latency, failed
requests (any non-200 answer or connection error), and bisearch-query --batch over the same
queries (one process, one thread) for comparison. Python standard library only.

    tools/load.py --build build [--clients 1,4,16] [--seconds 10] [--threads 2]
"""
import argparse
import http.client
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import threading
import time
import urllib.parse

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import bench  # noqa: E402  (load_speeches, derive_queries, write_jsonl, write_queries)


def log(msg):
    print("[load] " + msg, file=sys.stderr, flush=True)


def percentile(values, p):
    s = sorted(values)
    return s[min(len(s) - 1, int(round(p / 100.0 * (len(s) - 1))))] if s else float("nan")


def client(port, queries, start, deadline, out):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    lat, failed, i = [], 0, start
    while time.monotonic() < deadline:
        q = queries[i % len(queries)]
        i += 1
        target = "/api/search?q=" + urllib.parse.quote(q) + "&limit=10"
        t0 = time.perf_counter()
        try:
            conn.request("GET", target)
            r = conn.getresponse()
            body = r.read()
            ok = r.status == 200 and body.startswith(b"{")
        except (OSError, http.client.HTTPException):
            ok = False
            conn.close()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        lat.append((time.perf_counter() - t0) * 1000.0)
        failed += 0 if ok else 1
    conn.close()
    out.append((lat, failed))


def update_midway(index_bin, db, extra_dir, delay, n, done):
    time.sleep(delay)
    path = os.path.join(extra_dir, "update-%d.jsonl" % n)
    with open(path, "w", encoding="utf-8") as f:
        f.write(json.dumps({"id": "load-update-%d" % n, "title": "update %d" % n,
                            "text": "부하 시험 중에 추가된 연설문 %d입니다. 국민 여러분 감사합니다." % n},
                           ensure_ascii=False) + "\n")
    t0 = time.monotonic()
    r = subprocess.run([index_bin, "--db", db, extra_dir], capture_output=True, text=True)
    done.append((r.returncode, time.monotonic() - t0, r.stderr.strip()[-200:]))


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--build", default="build", help="build directory with the three programs")
    ap.add_argument("--shared", default=os.environ.get("BISEARCH_SHARED", os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "..", "shared")))
    ap.add_argument("--speeches", type=int, default=1500, help="speeches indexed (default 1500)")
    ap.add_argument("--db", help="use this speeches index instead of building one (it gets the updates)")
    ap.add_argument("--queries", type=int, default=1000)
    ap.add_argument("--clients", default="1,4,16")
    ap.add_argument("--seconds", type=float, default=10.0, help="length of each run")
    ap.add_argument("--threads", type=int, default=2, help="bisearch-serve --threads")
    args = ap.parse_args()
    index_bin = os.path.join(args.build, "indexer", "bisearch-index")
    query_bin = os.path.join(args.build, "query", "bisearch-query")
    serve_bin = os.path.join(args.build, "server", "bisearch-serve")
    speeches = os.path.join(args.shared, "data", "speeches-ko", "speeches.jsonl")
    docs = bench.load_speeches(speeches, args.speeches)
    queries = [q for _, q in bench.derive_queries(docs, "ko", args.queries)]

    with tempfile.TemporaryDirectory(prefix="bisearch-load-") as work:
        db = args.db
        if not db:
            db = os.path.join(work, "idx")
            bench.write_jsonl(os.path.join(work, "speeches.jsonl"), docs)
            os.makedirs(os.path.join(work, "src"))
            os.rename(os.path.join(work, "speeches.jsonl"), os.path.join(work, "src", "speeches.jsonl"))
            t0 = time.monotonic()
            subprocess.run([index_bin, "--db", db, os.path.join(work, "src")], check=True, capture_output=True)
            log("indexed %d speeches in %.1f s" % (len(docs), time.monotonic() - t0))
        qpath = os.path.join(work, "queries.tsv")
        bench.write_queries(qpath, [("q%04d" % i, q) for i, q in enumerate(queries)])

        # bisearch-query --batch: one process, one thread, same queries and page size.
        t0 = time.monotonic()
        subprocess.run([query_bin, "--db", db, "--batch", qpath, "--json"], stdout=subprocess.DEVNULL,
                       stderr=subprocess.DEVNULL)
        batch_s = time.monotonic() - t0
        log("bisearch-query --batch: %d queries in %.2f s = %.0f queries/s" % (len(queries), batch_s,
                                                                              len(queries) / batch_s))

        extra = os.path.join(work, "extra")
        os.makedirs(extra)
        server = subprocess.Popen([serve_bin, "--db", db, "--listen", "127.0.0.1:0", "--threads", str(args.threads)],
                                  stdout=subprocess.PIPE, text=True)
        m = re.search(r":(\d+)/", server.stdout.readline())
        port = int(m.group(1))
        rows = []
        try:
            # Warm-up: every worker opens its index handle.
            warm = []
            client(port, queries, 0, time.monotonic() + 1.0, warm)
            for n, clients in enumerate(int(c) for c in args.clients.split(",")):
                out, updates = [], []
                deadline = time.monotonic() + args.seconds
                threads = [threading.Thread(target=client, args=(port, queries, k * len(queries) // clients,
                                                                 deadline, out)) for k in range(clients)]
                up = threading.Thread(target=update_midway, args=(index_bin, db, extra, args.seconds / 2, n, updates))
                t0 = time.monotonic()
                for t in threads + [up]:
                    t.start()
                for t in threads + [up]:
                    t.join()
                wall = time.monotonic() - t0
                lat = [x for l, _ in out for x in l]
                failed = sum(f for _, f in out)
                rc, upd_s, err = updates[0]
                rows.append((clients, len(lat), len(lat) / args.seconds, statistics.median(lat),
                             percentile(lat, 99), max(lat), failed, rc, upd_s))
                log("%2d clients: %d requests in %.1f s, %.0f/s, p50 %.1f ms, p99 %.1f ms, max %.1f ms, %d failed; "
                    "update committed (exit %d) in %.1f s %s" % (clients, len(lat), wall, rows[-1][2], rows[-1][3],
                                                                 rows[-1][4], rows[-1][5], failed, rc, upd_s, err))
        finally:
            server.terminate()
            server.wait(timeout=10)
        print("| clients | requests | requests/s | p50 ms | p99 ms | max ms | failed | update |")
        print("|---:|---:|---:|---:|---:|---:|---:|---|")
        for c, n, rps, p50, p99, mx, failed, rc, upd_s in rows:
            print("| %d | %d | %.0f | %.1f | %.1f | %.1f | %d | committed in %.1f s (exit %d) |"
                  % (c, n, rps, p50, p99, mx, failed, upd_s, rc))
        print("\nbisearch-query --batch, same %d queries: %.2f s, %.0f queries/s (one process, one thread)"
              % (len(queries), batch_s, len(queries) / batch_s))
        print("bisearch-serve --threads %d, %d speeches, %.0f s per run" % (args.threads, len(docs), args.seconds))
        return 0 if all(r[6] == 0 and r[7] == 0 for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
