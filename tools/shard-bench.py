#!/usr/bin/env python3
"""shard-bench.py: what sharding costs and gains on this machine (docs/shards.md).

On a folder of texts (default: the White House texts, ../shared/data/policy-en):
  build   one index; N shards (bisearch-index --shard I/N) one after another;
          the N shards built at the same time (one process each)
  query   the benchmark's derived query set (tools/bench.py: 1,000 queries
          from the texts' own words) through bench-bisearch, warm, on one
          index, on the N shards as local `auto` lines, and on the N shards
          each served by its own xapian-tcpsrv on loopback (`remote` lines);
          p50/p95/p99 per query, and whether the top 10 doc ids agree with
          the one index

Usage: tools/shard-bench.py [--build build] [--shards 3] [--queries 1000] [--keep DIR] [FOLDER]
Exit status: 0 done, 2 bad usage, missing data or a failing step.
"""
import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import bench  # noqa: E402  (derive_queries, write_queries, read_results, percentile)


def timed(argv):
    """Wall seconds of an indexing run; exit status 1 (a file that cannot be
    indexed, like policy-en's manifest.jsonl of file names) is accepted."""
    start = time.monotonic()
    rc = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
    if rc not in (0, 1):
        raise RuntimeError("%s exited with %d" % (" ".join(argv), rc))
    return time.monotonic() - start


def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_listening(port, seconds=10):
    until = time.monotonic() + seconds
    while time.monotonic() < until:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise RuntimeError("xapian-tcpsrv did not listen on port %d" % port)


def folder_docs(folder):
    docs = []
    for base, _, files in os.walk(folder):
        for name in sorted(files):
            if name.endswith((".txt", ".md")):
                with open(os.path.join(base, name), encoding="utf-8", errors="replace") as f:
                    docs.append({"title": "", "text": f.read()})
    return docs


def run_queries(build, db, queries, work, label):
    out = os.path.join(work, label + ".tsv")
    subprocess.run([os.path.join(build, "tools/bench/bench-bisearch"), "query", db, queries, out], check=True,
                   stdout=subprocess.DEVNULL)
    results = bench.read_results(out)
    lat = [r[0] / 1000.0 for r in results.values()]
    return results, {p: bench.percentile(lat, p) for p in (50, 95, 99)}, sum(1 for r in results.values() if r[1])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("folder", nargs="?", default=os.path.join(ROOT, "..", "shared", "data", "policy-en"))
    ap.add_argument("--build", default=os.path.join(ROOT, "build"))
    ap.add_argument("--shards", type=int, default=3)
    ap.add_argument("--queries", type=int, default=1000)
    ap.add_argument("--keep", help="keep the indexes in this directory")
    ap.add_argument("--no-remote", action="store_true", help="skip the xapian-tcpsrv shards")
    args = ap.parse_args()
    index = os.path.join(args.build, "indexer/bisearch-index")
    for p in (index, os.path.join(args.build, "tools/bench/bench-bisearch")):
        if not os.path.exists(p):
            print("shard-bench: %s: not built" % p, file=sys.stderr)
            return 2
    if not os.path.isdir(args.folder) or not shutil.which("xapian-tcpsrv"):
        print("shard-bench: needs the folder %s and xapian-tcpsrv (xapian-tools)" % args.folder, file=sys.stderr)
        return 2
    n = args.shards
    work = args.keep or tempfile.mkdtemp(prefix="shard-bench-")
    os.makedirs(work, exist_ok=True)
    servers = []
    try:
        def shard_cmd(i, prefix):
            return [index, "--quiet", "--db", os.path.join(work, "%s%d" % (prefix, i)), "--shard",
                    "%d/%d" % (i, n), args.folder]

        one = os.path.join(work, "one")
        t_one = timed([index, "--quiet", "--db", one, args.folder])
        t_seq = sum(timed(shard_cmd(i, "seq")) for i in range(n))
        start = time.monotonic()
        procs = [subprocess.Popen(shard_cmd(i, "shard"), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
                 for i in range(n)]
        if any(p.wait() not in (0, 1) for p in procs):
            raise RuntimeError("a parallel shard build failed")
        t_par = time.monotonic() - start
        print("build: one index %.1f s; %d shards one after another %.1f s; %d shards at once %.1f s"
              % (t_one, n, t_seq, n, t_par))

        local = os.path.join(work, "local.stub")
        with open(local, "w") as f:
            f.writelines("auto shard%d\n" % i for i in range(n))
        remote = os.path.join(work, "remote.stub")
        with open(remote, "w") as f:
            for i in range(0 if args.no_remote else n):
                port = free_port()
                servers.append(subprocess.Popen(["xapian-tcpsrv", "--interface", "127.0.0.1", "--port", str(port),
                                                 "--quiet", os.path.join(work, "shard%d" % i)],
                                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                                                # on SIGTERM it signals its whole process group
                                                start_new_session=True))
                wait_listening(port)
                f.write("remote 127.0.0.1:%d\n" % port)

        queries = os.path.join(work, "queries.tsv")
        bench.write_queries(queries, bench.derive_queries(folder_docs(args.folder), "en", args.queries))
        base = None
        runs = [("one index", one), ("%d local shards" % n, local)]
        if not args.no_remote:
            runs.append(("%d remote shards" % n, remote))
        for label, db in runs:
            results, p, errors = run_queries(args.build, db, queries, work, label.replace(" ", "-"))
            same = ""
            if base is None:
                base = results
            else:
                agree = sum(1 for q, r in results.items() if q in base and r[2] == base[q][2])
                same = "; top 10 doc ids as one index: %d/%d" % (agree, len(results))
            print("query %-16s p50 %.1f ms  p95 %.1f ms  p99 %.1f ms  (%d queries, %d errors%s)"
                  % (label + ":", p[50], p[95], p[99], len(results), errors, same))
    finally:
        for s in servers:
            s.terminate()
            s.wait()
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
