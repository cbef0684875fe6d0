#!/usr/bin/env python3
"""eval_known_item.py: known-item search by title, and duplicates on the first page.

On the White House archive (BISEARCH_SHARED/data/policy-en: core/ and
whitehouse-korea/, indexed as one folder, as an analyst would):

1. Known item. For every document with a title (read from its `key: value`
   header, continuation lines included), two queries: the title as typed, and
   the title with one word dropped (a word chosen by a seeded random draw;
   titles of one word have no second query). A hit is right when its source
   file has the same title (compared case-folded, spaces collapsed): titles
   shared by several files, and copies of one file, all count. Reported:
   MRR@10, Success@1, Success@3 and Success@10, over the first page of 10
   hits as bisearch-query shows it (a document may fill several slots).
2. Duplicates. The benchmark's 1,000 English queries (tools/bench.py
   derive_queries on whitehouse-korea/): the share of first-page slots (10
   hits) taken by a document already shown higher on the page, or by a copy
   of one (same body text after the header), and the share of pages with
   at least one such slot.

Peers (--peers, default fts5-unicode61,lucene-cjk when their bench drivers are
built: tools/install-bench-deps.sh, then rebuild) index the same documents
(title + body, one record each, through tools/bench/bench-*) and answer the
same known-item queries, top 10 documents, for reference.

    tools/eval_known_item.py [--build build] [--json FILE]

Exit status: 0 done, 2 bad usage, missing data or a failing tool.
"""
import argparse
import collections
import hashlib
import json
import os
import random
import re
import subprocess
import sys
import tempfile
import shutil

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
sys.path.insert(0, HERE)
import bench  # noqa: E402  (derive_queries, Engine, write_jsonl)

PAGE = 10
SEED = 12


def log(msg):
    print("[eval-known-item] " + msg, file=sys.stderr, flush=True)


def fail(msg):
    print("eval_known_item.py: " + msg, file=sys.stderr)
    sys.exit(2)


def read_doc(path):
    """(header dict, body) of a policy-en file: leading `key: value` lines up
    to a line `---`; a line starting with whitespace continues the previous
    value. A file without that closing line is all body."""
    with open(path, encoding="utf-8", errors="replace") as f:
        raw = f.read()
    lines = raw.split("\n")
    fields, key = {}, None
    for i, line in enumerate(lines):
        if line.strip() == "---":
            return fields, "\n".join(lines[i + 1:])
        if line[:1] in (" ", "\t") and key is not None:
            fields[key] += " " + line.strip()
            continue
        m = re.match(r"([A-Za-z_][\w-]*):\s*(.*)$", line)
        if not m:
            break
        key = m.group(1).lower()
        fields[key] = m.group(2).strip()
    return {}, raw


def norm_title(t):
    t = t.strip()
    if len(t) >= 2 and t[0] == t[-1] and t[0] in "\"'":
        t = t[1:-1]
    return " ".join(t.casefold().split())


def body_key(body):
    return hashlib.sha1(" ".join(body.split()).encode("utf-8")).hexdigest()


def load_archive(root):
    """rel path -> {"title", "key" (body hash), "body"} for every .txt file."""
    docs = {}
    for d, _, files in os.walk(root):
        for name in files:
            if not name.endswith(".txt"):
                continue
            p = os.path.join(d, name)
            fields, body = read_doc(p)
            title = fields.get("title", "")
            if len(title) >= 2 and title[0] == title[-1] and title[0] in "\"'":
                title = title[1:-1]
            docs[os.path.relpath(p, root)] = {"title": title, "key": body_key(body), "body": body}
    return dict(sorted(docs.items()))


def known_item_queries(docs):
    """[(qid, text, normalized title)] for the exact and the one-word-dropped sets."""
    rng = random.Random(SEED)
    exact, dropped = [], []
    seen = set()
    for rel, d in docs.items():
        t = " ".join(d["title"].split())
        if not t or norm_title(t) in seen:
            continue  # one query per distinct title
        seen.add(norm_title(t))
        exact.append(("t%04d" % len(exact), t, norm_title(t)))
        words = t.split(" ")
        droppable = [i for i, w in enumerate(words) if any(c.isalnum() for c in w)]
        if len(droppable) >= 2:
            k = droppable[rng.randrange(len(droppable))]
            dropped.append(("d%04d" % len(dropped), " ".join(words[:k] + words[k + 1:]), norm_title(t)))
    return exact, dropped


def write_queries(path, queries):
    with open(path, "w", encoding="utf-8") as f:
        for qid, text, *_ in queries:
            f.write("%s\t%s\n" % (qid, text.replace("\t", " ")))


def bisearch_pages(build, db, queries, work, root):
    """qid -> [rel path of each hit on the first page], via bisearch-query --batch --json."""
    qpath = os.path.join(work, "bq.tsv")
    write_queries(qpath, queries)
    exe = os.path.join(build, "query/bisearch-query")
    p = subprocess.run([exe, "--db", db, "--batch", qpath, "--json", "--limit", str(PAGE)],
                       capture_output=True, text=True)
    if p.returncode not in (0, 1):
        fail("bisearch-query exited %d: %s" % (p.returncode, p.stderr[-2000:]))
    pages = collections.defaultdict(list)
    for line in p.stdout.splitlines():
        o = json.loads(line)
        if o.get("type") == "hit":
            pages[o["query_id"]].append(os.path.relpath(o["source"], root))
    return pages


def peer_pages(engine, docs_path, db, queries, work):
    qpath = os.path.join(work, "pq.tsv")
    write_queries(qpath, queries)
    engine.index(db, docs_path, [])
    results, _ = engine.query(db, qpath, work)
    return {qid: ids for qid, (_, _, ids) in results.items()}


def known_item_scores(pages, queries, docs):
    rr, s1, s3, s10 = [], 0, 0, 0
    for qid, _, want in queries:
        rank = 0
        for i, rel in enumerate(pages.get(qid, [])[:PAGE]):
            if rel in docs and norm_title(docs[rel]["title"]) == want:
                rank = i + 1
                break
        rr.append(1 / rank if rank else 0)
        s1 += rank == 1
        s3 += 1 <= rank <= 3
        s10 += 1 <= rank <= 10
    n = max(1, len(queries))
    return {"queries": len(queries), "mrr10": sum(rr) / n, "s1": s1 / n, "s3": s3 / n, "s10": s10 / n}


def duplicate_rate(pages, qids, docs):
    """Slots holding a document already shown on the page (same file: a
    further passage of it) or a copy of one (another file, same body)."""
    slots = same = copy = pages_with = 0
    for qid in qids:
        shown_keys, shown_files, had = set(), set(), False
        for rel in pages.get(qid, [])[:PAGE]:
            slots += 1
            key = docs[rel]["key"] if rel in docs else rel
            if rel in shown_files:
                same += 1
                had = True
            elif key in shown_keys:
                copy += 1
                had = True
            shown_keys.add(key)
            shown_files.add(rel)
        pages_with += had
    return {"queries": len(qids), "slots": slots, "duplicate_slots": same + copy, "same_document_slots": same,
            "copy_slots": copy, "rate": (same + copy) / slots if slots else 0.0,
            "pages_with_duplicates": pages_with / max(1, len(qids))}


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--build", default=os.path.join(ROOT, "build"), help="CMake build dir (default: build/)")
    ap.add_argument("--shared", default=os.environ.get("BISEARCH_SHARED", os.path.join(ROOT, "..", "shared")),
                    help="shared data root (default: $BISEARCH_SHARED, else ../shared)")
    ap.add_argument("--peers", default="fts5-unicode61,lucene-cjk",
                    help="peer engines for reference ('' for none; skipped when not built)")
    ap.add_argument("--queries", type=int, default=1000, help="queries for the duplicate rate (default 1000)")
    ap.add_argument("--json", help="also write the figures as JSON to FILE")
    ap.add_argument("--keep", help="work in DIR and keep the index and derived files")
    args = ap.parse_args()

    root = os.path.join(args.shared, "data/policy-en")
    if not os.path.isdir(root):
        fail("missing data: %s (set --shared or BISEARCH_SHARED)" % root)
    build = os.path.abspath(args.build)
    for exe in ("indexer/bisearch-index", "query/bisearch-query"):
        if not os.access(os.path.join(build, exe), os.X_OK):
            fail("%s not built in %s" % (exe, build))

    work = os.path.abspath(args.keep) if args.keep else tempfile.mkdtemp(prefix="bisearch-known-item-")
    os.makedirs(work, exist_ok=True)
    try:
        docs = load_archive(root)
        exact, dropped = known_item_queries(docs)
        titled = sum(1 for d in docs.values() if d["title"])
        log("%d files, %d with a title, %d distinct titles, %d one-word-dropped queries"
            % (len(docs), titled, len(exact), len(dropped)))
        dup_queries = [(qid, text, None) for qid, text in
                       bench.derive_queries(bench.load_policy_en(os.path.join(root, "whitehouse-korea")),
                                            "en", args.queries)]

        db = os.path.join(work, "bisearch-idx")
        if not os.path.exists(db):
            log("indexing %s with bisearch" % root)
            p = subprocess.run([os.path.join(build, "indexer/bisearch-index"), "--db", db, "--quiet", root],
                               capture_output=True, text=True)
            if p.returncode not in (0, 1):
                fail("bisearch-index exited %d: %s" % (p.returncode, p.stderr[-2000:]))
        report = {"build": build, "files": len(docs), "titled": titled, "engines": {}}
        pages = bisearch_pages(build, db, exact + dropped + dup_queries, work, root)
        report["engines"]["bisearch"] = {
            "exact": known_item_scores(pages, exact, docs),
            "dropped": known_item_scores(pages, dropped, docs),
            "duplicates": duplicate_rate(pages, [q[0] for q in dup_queries], docs)}

        peers = [bench.Engine(n.strip(), build) for n in args.peers.split(",") if n.strip()]
        missing = [e.name for e in peers if not e.available()]
        if missing:
            log("peers not built, skipped: %s (tools/install-bench-deps.sh, then rebuild)" % ", ".join(missing))
        peers = [e for e in peers if e.available()]
        if peers:
            docs_path = os.path.join(work, "docs.jsonl")
            bench.write_jsonl(docs_path, [{"id": rel, "title": d["title"], "text": d["body"]}
                                          for rel, d in docs.items()])
            for e in peers:
                log("indexing and querying with %s" % e.name)
                pp = peer_pages(e, docs_path, os.path.join(work, e.name + "-idx"), exact + dropped, work)
                report["engines"][e.name] = {"exact": known_item_scores(pp, exact, docs),
                                             "dropped": known_item_scores(pp, dropped, docs)}
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    print("Known-item search by title on policy-en (%d files, %d titled; page of %d hits)"
          % (report["files"], report["titled"], PAGE))
    print("%-16s %-9s %7s %7s %7s %7s %7s" % ("engine", "queries", "n", "MRR@10", "S@1", "S@3", "S@10"))
    for name, e in report["engines"].items():
        for kind in ("exact", "dropped"):
            s = e[kind]
            print("%-16s %-9s %7d %7.3f %7.3f %7.3f %7.3f"
                  % (name, kind, s["queries"], s["mrr10"], s["s1"], s["s3"], s["s10"]))
    d = report["engines"]["bisearch"]["duplicates"]
    print("First-page duplicates, bisearch, %d queries: %.1f%% of %d slots (%d) are a document already shown "
          "(%d: another passage of it) or a copy of one (%d); %.1f%% of pages have one"
          % (d["queries"], 100 * d["rate"], d["slots"], d["duplicate_slots"], d["same_document_slots"],
             d["copy_slots"], 100 * d["pages_with_duplicates"]))
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump(report, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
