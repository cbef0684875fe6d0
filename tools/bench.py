#!/usr/bin/env python3
"""bench.py: speed, size and scale of bisearch against peer engines, in one run.

Engines: bisearch (bisearch-index, and bench-bisearch for queries), stock
Xapian with FLAG_CJK_NGRAM (bench-xapian), SQLite FTS5 unicode61 and trigram
(bench-sqlite), Lucene++ with the CJK analyzer (bench-lucene) and Groonga
with TokenBigram + NormalizerAuto (the groonga CLI). Every engine indexes the
same JSONL documents and runs the same queries; see docs/benchmark.md.
xapian-floor (bench-floor) is not a peer but the part of bisearch's work that
is Xapian's: its passages written with no reading or analysis timed, and its
queries matched with no record read, check or highlight. It has no quality
figure (its hits are docids) and is left out of --scale (it holds the whole
corpus's prepared documents in memory).

Per engine and corpus (Korean speeches, English White House texts):
indexing throughput (MB of title + text per second of wall time), peak RSS
of the indexing process, index size on disk, and query latency p50/p95/p99
and the batch total over the derived query set, in one warm process.
Retrieval quality: KorQuAD 1.0 dev paragraphs plus speech paragraphs as
distractors, MRR@10 over the questions. Figures are medians of --runs runs;
each is also shown as a ratio to bisearch's.

--scale indexes the Korean corpus at 1x, 4x and 16x (copies with distinct
ids) and reports how indexing time, size and query latency grow.

Derived files live in a temp dir removed at exit (KorQuAD is CC BY-ND: no
converted copy is kept) unless --keep DIR is given.

Exit status: 0 done, 2 bad usage, missing data or a failing engine.
"""
import argparse
import collections
import json
import os
import re
import shutil
import statistics
import sys
import tempfile
import time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

ALL_ENGINES = ["bisearch", "xapian-floor", "xapian", "fts5-unicode61", "fts5-trigram", "lucene-cjk", "groonga"]
FLOOR = "xapian-floor"

# Particles and endings stripped from the end of a Korean word when deriving
# query words (longest first); a word keeps at least two syllables.
PARTICLES = sorted("""은 는 이 가 을 를 의 에 에서 에게 께 께서 와 과 로 으로 도 만 까지 부터 보다 처럼
    이나 나 이며 며 이고 고 라는 이라는 입니다 습니다 합니다 했습니다 됩니다 하고 하는 하여 해야 할 한 된 되는
    적 들 들은 들이 들을 들의 에는 에도 으로서 로서 으로써 로써 와의 과의 에서의 이다 였다 이었다""".split(),
                   key=len, reverse=True)
# English words too common to make useful queries.
EN_STOP = set("""the and that this with for are was were have has had will would from they their there
    about which what when where who whom been being into also more than them then these those such our
    your you his her its not but can all any one two very just over only other some could should may
    must said says say like well here make made many much because while after before through each
    very even most know going want think really people thank thanks get got did does doing let lets
    year years time way back right today now today's it's that's we're i'm don't we've mr""".split())

SEPARATORS = set(" \t\r\n\"'()[]{}<>?!:;*+-^~\\/|&,.=@#$%")


def log(msg):
    print("[bench] " + msg, file=sys.stderr, flush=True)


def fail(msg):
    print("bench.py: " + msg, file=sys.stderr)
    sys.exit(2)


def query_words(text):
    """The words every peer ORs together (bench_driver.cc's query_words)."""
    words, word = [], []
    for c in text:
        if c in SEPARATORS:
            if word:
                words.append("".join(word))
            word = []
        else:
            word.append(c)
    if word:
        words.append("".join(word))
    return words


# ---------------------------------------------------------------------------
# Corpora and queries


def load_speeches(path, limit=None):
    docs = []
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f):
            if limit is not None and len(docs) >= limit:
                break
            o = json.loads(line)
            text = o.get("speech_text") or ""
            if not text.strip():
                continue
            docs.append({"id": "sp-%s-%d" % (o.get("division_number", ""), n),
                         "title": o.get("title") or "", "text": text})
    return docs


def load_policy_en(root, limit=None):
    paths = []
    for d, _, files in os.walk(root):
        paths += [os.path.join(d, f) for f in files if f.endswith(".txt")]
    paths.sort()
    if limit is not None:
        paths = paths[:limit]
    docs = []
    for p in paths:
        with open(p, encoding="utf-8", errors="replace") as f:
            raw = f.read()
        head, sep, body = raw.partition("\n---\n")
        if not sep:
            head, body = "", raw
        title = ""
        for line in head.splitlines():
            if line.startswith("title:"):
                title = line[6:].strip()
        docs.append({"id": os.path.relpath(p, root), "title": title, "text": body})
    return docs


def speech_paragraphs(path, limit, min_chars=100):
    """Distractor passages: speech paragraphs (line breaks, and sentence ends
    glued to the next Hangul syllable), at least min_chars long."""
    out = []
    glued = re.compile(r"(?<=[.!?])(?=[\uac00-\ud7a3\"'(\[])")
    with open(path, encoding="utf-8") as f:
        for line in f:
            o = json.loads(line)
            k = 0
            for para in re.split(r"\r\n|\n|\r", o.get("speech_text") or ""):
                for piece in glued.split(para):
                    piece = piece.strip()
                    if len(piece) >= min_chars:
                        k += 1
                        out.append({"id": "sp-%s-%d" % (o.get("division_number"), k),
                                    "title": o.get("title") or "", "text": piece})
                        if len(out) >= limit:
                            return out
    return out


def load_korquad(path):
    with open(path, encoding="utf-8") as f:
        data = json.load(f)["data"]
    passages, questions = [], []
    for a, article in enumerate(data):
        for p, para in enumerate(article["paragraphs"]):
            pid = "kq-%d-%d" % (a, p)
            passages.append({"id": pid, "title": article["title"].replace("_", " "), "text": para["context"]})
            for qa in para["qas"]:
                questions.append((qa["id"], qa["question"], pid))
    return passages, questions


def strip_particle(word):
    for p in PARTICLES:
        if word.endswith(p) and len(word) - len(p) >= 2:
            return word[: -len(p)]
    return word


def derive_queries(docs, lang, count):
    """count queries from the documents' own words, deterministically: the
    words are counted (Korean: Hangul-only words with a particle or ending
    stripped, 2-5 syllables; English: lowercase letters, 4+ letters, not a
    stopword), the 60 most frequent skipped, and from the next 3,000 every
    k-th is taken; 70% are one word, 30% pair word i with word i + 7."""
    counts = collections.Counter()
    for d in docs:
        for w in query_words(d["title"] + " " + d["text"]):
            if lang == "ko":
                if not all("\uac00" <= c <= "\ud7a3" for c in w):
                    continue
                w = strip_particle(w)
                if not 2 <= len(w) <= 5:
                    continue
            else:
                w = w.lower()
                if not (w.isascii() and w.isalpha() and len(w) >= 4) or w in EN_STOP:
                    continue
            counts[w] += 1
    ranked = [w for w, _ in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))][60:3060]
    singles = int(count * 0.7)
    step = max(1, len(ranked) // max(1, singles))
    pool = ranked[::step]
    queries = []
    for i in range(count):
        w = pool[i % len(pool)]
        if i >= singles:
            w = w + " " + pool[(i + 7) % len(pool)]
        queries.append(("%s%04d" % (lang, i), w))
    return queries


def write_jsonl(path, docs, copies=1):
    size = 0
    with open(path, "w", encoding="utf-8") as f:
        for c in range(copies):
            for d in docs:
                o = dict(d)
                if copies > 1:
                    o["id"] = "%s~%d" % (d["id"], c)
                f.write(json.dumps(o, ensure_ascii=False) + "\n")
                size += len(d["title"].encode("utf-8")) + len(d["text"].encode("utf-8"))
    return size


def write_queries(path, queries):
    with open(path, "w", encoding="utf-8") as f:
        for qid, text in queries:
            f.write("%s\t%s\n" % (qid, text.replace("\t", " ").replace("\n", " ")))


# ---------------------------------------------------------------------------
# Running engines


def run(argv, stdin=None, stdout=None, env=None):
    """Runs argv, returns (wall seconds, peak RSS bytes of the child); raises
    on failure."""
    err_path = os.path.join(tempfile.gettempdir(), "bisearch-bench-stderr-%d" % os.getpid())
    rss_path = err_path + ".rss"
    # GNU time forks the engine from its own small process and reports the
    # child's peak RSS; os.wait4 on a child spawned from this process would
    # count this process's memory (the child shares it until exec).
    argv = ["/usr/bin/time", "-f", "%M", "-o", rss_path] + argv
    actions = [(os.POSIX_SPAWN_OPEN, 0, stdin or os.devnull, os.O_RDONLY, 0),
               (os.POSIX_SPAWN_OPEN, 1, stdout or os.devnull, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644),
               (os.POSIX_SPAWN_OPEN, 2, err_path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o644)]
    program = argv[0]
    start = time.monotonic()
    pid = os.posix_spawn(program, argv, dict(os.environ, **(env or {})), file_actions=actions)
    _, status = os.waitpid(pid, 0)
    wall = time.monotonic() - start
    code = os.waitstatus_to_exitcode(status)
    with open(err_path, "rb") as f:
        err = f.read()
    os.remove(err_path)
    if code != 0:
        raise RuntimeError("%s exited %d: %s" % (" ".join(argv), code, err.decode(errors="replace")[-2000:]))
    with open(rss_path) as f:
        rss_kb = int(f.read().split()[-1])
    os.remove(rss_path)
    return wall, rss_kb * 1024


def dir_size(path):
    if os.path.isfile(path):
        return os.path.getsize(path)
    total = 0
    for d, _, files in os.walk(path):
        for f in files:
            fp = os.path.join(d, f)
            if not os.path.islink(fp):
                total += os.path.getsize(fp)
    return total


def read_results(path):
    """qid -> (microseconds, error, [ids])"""
    out = {}
    with open(path, encoding="utf-8") as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            out[parts[0]] = (float(parts[1]), parts[2] == "1", parts[3].split() if len(parts) > 3 and parts[3] else [])
    return out


class Engine:
    def __init__(self, name, build, search_args="", cpu_time=False):
        self.name, self.build = name, build
        self.search_args, self.cpu_time = search_args, cpu_time
        # bisearch-before: bisearch from another build (--baseline-build), to
        # show what a change moved in the same run.
        self.kind = "bisearch" if name.startswith("bisearch") else name

    def driver(self):
        names = {"bisearch": "bench-bisearch", "xapian": "bench-xapian", "fts5-unicode61": "bench-sqlite",
                 "fts5-trigram": "bench-sqlite", "lucene-cjk": "bench-lucene", FLOOR: "bench-floor"}
        return os.path.join(self.build, "tools/bench", names[self.kind])

    def env(self):
        env = {"BENCH_FTS5_TOKENIZER": "trigram"} if self.name == "fts5-trigram" else {}
        if self.kind == "bisearch" and self.search_args:
            env["BENCH_SEARCH_ARGS"] = self.search_args
        if self.cpu_time:
            env["BENCH_CPU_TIME"] = "1"  # the drivers time each query's CPU, not wall time
        return env

    def available(self):
        if self.name == "groonga":
            return shutil.which("groonga") is not None
        if self.kind == "bisearch" and not os.access(os.path.join(self.build, "indexer/bisearch-index"), os.X_OK):
            return False
        return os.access(self.driver(), os.X_OK)

    def index(self, db, docs_path, index_args):
        """Builds db from docs_path; returns (seconds, peak RSS bytes)."""
        if self.kind == "bisearch":
            return run([os.path.join(self.build, "indexer/bisearch-index"), "--db", db, "--quiet"] + index_args
                       + [docs_path])
        if self.name == "groonga":
            cmds = db + ".load"
            with open(cmds, "w", encoding="utf-8") as f:
                f.write("table_create Docs TABLE_HASH_KEY ShortText\n"
                        "column_create Docs title COLUMN_SCALAR ShortText\n"
                        "column_create Docs text COLUMN_SCALAR LongText\n"
                        "load --table Docs\n[\n")
                with open(docs_path, encoding="utf-8") as docs:
                    first = True
                    for line in docs:
                        d = json.loads(line)
                        f.write(("" if first else ",\n") + json.dumps(
                            {"_key": d["id"], "title": d["title"], "text": d["text"]}, ensure_ascii=False))
                        first = False
                f.write("\n]\n"
                        "table_create Terms TABLE_PAT_KEY ShortText --default_tokenizer TokenBigram "
                        "--normalizer NormalizerAuto\n"
                        "column_create Terms docs_index COLUMN_INDEX|WITH_POSITION|WITH_SECTION Docs title,text\n")
            out = db + ".out"
            os.makedirs(db, exist_ok=True)
            result = run([shutil.which("groonga"), "-n", os.path.join(db, "db")], stdin=cmds, stdout=out)
            with open(out, encoding="utf-8", errors="replace") as f:
                if re.search(r"\[\[-\d+", f.read()):
                    raise RuntimeError("groonga reported an error while loading; see " + out)
            os.remove(cmds)
            return result
        if self.name == FLOOR:
            # Only the writing is timed (the driver prints it); its peak RSS
            # is of the whole corpus held in memory, so none is reported.
            out = db + ".timed"
            run([self.driver(), "index", db, docs_path], stdout=out)
            with open(out) as f:
                timed = float(f.read().split()[-1])
            os.remove(out)
            return timed, float("nan")
        return run([self.driver(), "index", db, docs_path], env=self.env())

    def query(self, db, queries_path, work):
        """Runs the queries warm; returns (qid -> (us, error, ids), wall seconds)."""
        out = os.path.join(work, "results.tsv")
        if self.name == "groonga":
            return self._groonga_query(db, queries_path, work)
        wall, _ = run([self.driver(), "query", db, queries_path, out], env=self.env())
        return read_results(out), wall

    def _groonga_query(self, db, queries_path, work):
        cmds = os.path.join(work, "select.grn")
        qids = []
        with open(queries_path, encoding="utf-8") as f, open(cmds, "w", encoding="utf-8") as g:
            for line in f:
                qid, _, text = line.rstrip("\n").partition("\t")
                q = " OR ".join('"%s"' % w for w in query_words(text)) or '""'
                qids.append(qid)
                g.write("select Docs --match_columns 'title || text' --query '%s' --output_columns _key "
                        "--sortby -_score --limit 10\n" % q)
        out = os.path.join(work, "select.out")
        wall, _ = run([shutil.which("groonga"), os.path.join(db, "db")], stdin=cmds, stdout=out)
        results = {}
        dec = json.JSONDecoder()
        with open(out, encoding="utf-8") as f:
            text = f.read()
        pos, i = 0, 0
        while i < len(qids):
            while pos < len(text) and text[pos].isspace():
                pos += 1
            resp, pos = dec.raw_decode(text, pos)
            head = resp[0]
            error = head[0] != 0
            ids = []
            if not error:
                rows = resp[1][0][2:]
                ids = [r[0] for r in rows]
            results[qids[i]] = (head[2] * 1e6, error, ids)
            i += 1
        return results, wall


def percentile(values, p):
    v = sorted(values)
    if not v:
        return float("nan")
    k = (len(v) - 1) * p / 100.0
    lo = int(k)
    hi = min(lo + 1, len(v) - 1)
    return v[lo] + (v[hi] - v[lo]) * (k - lo)


def latency_stats(results):
    lat = [r[0] / 1000.0 for r in results.values()]  # ms
    return {"p50_ms": percentile(lat, 50), "p95_ms": percentile(lat, 95), "p99_ms": percentile(lat, 99),
            "batch_s": sum(lat) / 1000.0, "errors": sum(1 for r in results.values() if r[1]),
            "queries": len(lat)}


def mrr10(results, questions):
    total = 0.0
    for qid, _, answer in questions:
        ids = results.get(qid, (0, True, []))[2]
        for rank, i in enumerate(ids[:10], 1):
            if i == answer:
                total += 1.0 / rank
                break
    return total / len(questions)


def median_dict(dicts):
    out = {}
    for k in dicts[0]:
        vals = [d[k] for d in dicts]
        out[k] = statistics.median(vals) if isinstance(vals[0], (int, float)) else vals[0]
    return out


def measure_corpus(engine, docs_path, input_bytes, queries_path, work, runs, index_args):
    """Median over runs of one engine on one corpus."""
    per_run = []
    for r in range(runs):
        db = os.path.join(work, "db-%s-%d" % (engine.name, r))
        secs, rss = engine.index(db, docs_path, index_args)
        size = dir_size(db)
        results, wall = engine.query(db, queries_path, work)
        lat = latency_stats(results)
        shutil.rmtree(db, ignore_errors=True)
        if os.path.exists(db):
            os.remove(db)
        fig = {"index_s": secs, "mb_per_s": input_bytes / 1e6 / secs, "rss_mb": rss / 1e6,
               "size_mb": size / 1e6, "size_ratio": size / input_bytes, "query_wall_s": wall}
        fig.update(lat)
        log("  %s run %d: %.1f s index (%.2f MB/s), RSS %.0f MB, size %.1f MB, p50 %.2f ms, p99 %.2f ms"
            % (engine.name, r + 1, secs, fig["mb_per_s"], fig["rss_mb"], fig["size_mb"], fig["p50_ms"], fig["p99_ms"]))
        per_run.append(fig)
    return median_dict(per_run)


def measure_quality(engine, docs_path, questions_path, questions, work, index_args):
    db = os.path.join(work, "db-%s-kq" % engine.name)
    engine.index(db, docs_path, index_args)
    results, _ = engine.query(db, questions_path, work)
    shutil.rmtree(db, ignore_errors=True)
    if os.path.exists(db):
        os.remove(db)
    lat = latency_stats(results)
    return {"mrr10": mrr10(results, questions), "q_p50_ms": lat["p50_ms"], "q_p99_ms": lat["p99_ms"],
            "q_errors": lat["errors"]}


# ---------------------------------------------------------------------------
# Reporting

COLUMNS = [  # key, header, format, ratio wanted (bisearch / peer or peer / bisearch)
    ("mb_per_s", "MB/s", "%.2f"),
    ("rss_mb", "RSS_MB", "%.0f"),
    ("size_mb", "size_MB", "%.1f"),
    ("size_ratio", "size/in", "%.2f"),
    ("p50_ms", "p50_ms", "%.2f"),
    ("p95_ms", "p95_ms", "%.2f"),
    ("p99_ms", "p99_ms", "%.2f"),
    ("batch_s", "batch_s", "%.2f"),
    ("errors", "errs", "%d"),
]


def print_corpus_table(title, figures, engines):
    print("\n## %s" % title)
    print("| engine | " + " | ".join(c[1] for c in COLUMNS) + " |")
    print("|---" * (len(COLUMNS) + 1) + "|")
    for e in engines:
        f = figures.get(e)
        if f:
            print("| %s | " % e + " | ".join(c[2] % f[c[0]] for c in COLUMNS) + " |")
    base = figures.get("bisearch")
    if not base:
        return
    print("\npeer / bisearch (for MB/s above 1 means the peer is faster; for the rest above 1 means "
          "the peer uses more)")
    print("| engine | " + " | ".join(c[1] for c in COLUMNS[:-1]) + " |")
    print("|---" * len(COLUMNS) + "|")
    for e in engines:
        f = figures.get(e)
        if f and e != "bisearch":
            print("| %s | " % e + " | ".join(
                ("%.2f" % (f[c[0]] / base[c[0]])) if base[c[0]] else "-" for c in COLUMNS[:-1]) + " |")


def print_quality_table(quality, engines, passages, questions):
    print("\n## KorQuAD 1.0 dev: %d passages (964 paragraphs + speech distractors), %d questions"
          % (passages, questions))
    print("| engine | MRR@10 | vs bisearch | question p50_ms | question p99_ms | errors |")
    print("|---|---|---|---|---|---|")
    base = quality.get("bisearch")
    for e in engines:
        q = quality.get(e)
        if q:
            ratio = "%.3f" % (q["mrr10"] / base["mrr10"]) if base else "-"
            print("| %s | %.4f | %s | %.2f | %.2f | %d |" % (e, q["mrr10"], ratio, q["q_p50_ms"], q["q_p99_ms"],
                                                             q["q_errors"]))


# ---------------------------------------------------------------------------


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--build", default=os.path.join(ROOT, "build"), help="CMake build dir (default: build/)")
    ap.add_argument("--shared", default=os.environ.get("BISEARCH_SHARED", os.path.join(ROOT, "..", "shared")),
                    help="shared data root (default: $BISEARCH_SHARED, else ../shared)")
    ap.add_argument("--engines", default=",".join(ALL_ENGINES), help="comma-separated subset of: " + ", ".join(ALL_ENGINES))
    ap.add_argument("--quick", action="store_true",
                    help="a fifth of each corpus, 1,000 KorQuAD questions with 5,000 passages, one run")
    ap.add_argument("--runs", type=int, default=None, help="runs per figure, median reported (default 3; 1 with --quick)")
    ap.add_argument("--queries", type=int, default=1000, help="derived queries per corpus (default 1000)")
    ap.add_argument("--corpora", default="ko,en,korquad", help="comma-separated subset of ko, en, korquad")
    ap.add_argument("--scale", action="store_true", help="scaling run instead: Korean corpus at 1x, 4x, 16x")
    ap.add_argument("--scale-factors", default="1,4,16", help="copies for --scale (default 1,4,16)")
    ap.add_argument("--baseline-build", help="also measure the bisearch built in DIR, as engine bisearch-before")
    ap.add_argument("--index-args", default="", help="extra bisearch-index flags, one string")
    ap.add_argument("--json", help="also write every figure as JSON to FILE")
    ap.add_argument("--keep", help="work in DIR and keep derived files")
    ap.add_argument("--search-args", default="",
                    help="bisearch-query search options for bench-bisearch, one string (--per-doc N, --facets L, "
                    "--limit N, --offset N, --all, --no-cross, --tune K=V)")
    ap.add_argument("--cpu-time", action="store_true",
                    help="query latencies are each query's CPU time in the driver (not wall time; groonga "
                    "keeps its own elapsed time): steadier on a loaded machine")
    args = ap.parse_args()

    runs = args.runs or (1 if args.quick else 3)
    engines = [Engine(n.strip(), args.build, args.search_args, args.cpu_time)
               for n in args.engines.split(",") if n.strip()]
    for e in engines:
        if e.name not in ALL_ENGINES:
            fail("unknown engine %r (choose from %s)" % (e.name, ", ".join(ALL_ENGINES)))
    if args.baseline_build:
        engines.insert(1, Engine("bisearch-before", os.path.abspath(args.baseline_build), args.search_args,
                                 args.cpu_time))
    missing = [e.name for e in engines if not e.available()]
    if missing:
        log("skipping engines not built or installed: %s (tools/install-bench-deps.sh, then rebuild)"
            % ", ".join(missing))
    engines = [e for e in engines if e.available()]
    if not engines:
        fail("no engine available")
    index_args = args.index_args.split()

    speeches = os.path.join(args.shared, "data/speeches-ko/speeches.jsonl")
    policy = os.path.join(args.shared, "data/policy-en/whitehouse-korea")
    korquad = os.path.join(args.shared, "data/korquad/KorQuAD_v1.0_dev.json")
    for p in (speeches, policy, korquad):
        if not os.path.exists(p):
            fail("missing data: %s (set --shared or BISEARCH_SHARED)" % p)

    if args.keep:
        work = os.path.abspath(args.keep)
        os.makedirs(work, exist_ok=True)
    else:
        work = tempfile.mkdtemp(prefix="bisearch-bench-")
    started = time.monotonic()
    report = {"quick": args.quick, "runs": runs, "engines": [e.name for e in engines], "corpora": {}}
    try:
        if args.scale:
            scale_run(args, engines, speeches, work, index_args, runs, report)
        else:
            main_run(args, engines, speeches, policy, korquad, work, index_args, runs, report)
    except RuntimeError as e:
        fail(str(e))
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)
    report["seconds"] = time.monotonic() - started
    print("\nwall time %.0f s; %d run(s) per figure, medians" % (report["seconds"], runs))
    if args.json:
        with open(args.json, "w") as f:
            json.dump(report, f, indent=2)


def main_run(args, engines, speeches, policy, korquad, work, index_args, runs, report):
    corpora = [c.strip() for c in args.corpora.split(",")]
    names = [e.name for e in engines]
    print("# bisearch benchmark%s: %d run(s) per figure, medians; engines: %s"
          % (" (--quick)" if args.quick else "", runs, ", ".join(names)))
    for corpus in ("ko", "en"):
        if corpus not in corpora:
            continue
        if corpus == "ko":
            docs = load_speeches(speeches, 1500 if args.quick else None)
        else:
            docs = load_policy_en(policy, 215 if args.quick else None)
        docs_path = os.path.join(work, corpus + ".jsonl")
        input_bytes = write_jsonl(docs_path, docs)
        queries = derive_queries(docs, corpus, args.queries)
        queries_path = os.path.join(work, corpus + "-queries.tsv")
        write_queries(queries_path, queries)
        log("%s: %d documents, %.1f MB of text, %d queries" % (corpus, len(docs), input_bytes / 1e6, len(queries)))
        figures = {}
        for e in engines:
            figures[e.name] = measure_corpus(e, docs_path, input_bytes, queries_path, work, runs, index_args)
        title = {"ko": "Korean: presidential speeches", "en": "English: White House texts"}[corpus]
        print_corpus_table("%s, %d documents, %.1f MB of text, %d queries of 1-2 words"
                           % (title, len(docs), input_bytes / 1e6, len(queries)), figures, names)
        sys.stdout.flush()
        report["corpora"][corpus] = {"documents": len(docs), "input_mb": input_bytes / 1e6, "figures": figures}
    if "korquad" in corpora:
        passages, questions = load_korquad(korquad)
        total = 5000 if args.quick else 10000
        passages += speech_paragraphs(speeches, total - len(passages))
        if args.quick:
            questions = questions[:1000]
        docs_path = os.path.join(work, "korquad.jsonl")
        write_jsonl(docs_path, passages)
        questions_path = os.path.join(work, "korquad-questions.tsv")
        write_queries(questions_path, [(q, t) for q, t, _ in questions])
        log("korquad: %d passages, %d questions" % (len(passages), len(questions)))
        quality = {}
        names = [e.name for e in engines if e.name != FLOOR]
        for e in engines:
            if e.name == FLOOR:
                continue
            quality[e.name] = measure_quality(e, docs_path, questions_path, questions, work, index_args)
            log("  %s: MRR@10 %.4f" % (e.name, quality[e.name]["mrr10"]))
        print_quality_table(quality, names, len(passages), len(questions))
        report["korquad"] = {"passages": len(passages), "questions": len(questions), "figures": quality}
        for f in (docs_path, questions_path):
            os.remove(f)  # derived from CC BY-ND data: never left behind


def scale_run(args, engines, speeches, work, index_args, runs, report):
    factors = [int(x) for x in args.scale_factors.split(",")]
    docs = load_speeches(speeches, 1500 if args.quick else None)
    queries = derive_queries(docs, "ko", args.queries)
    queries_path = os.path.join(work, "ko-queries.tsv")
    write_queries(queries_path, queries)
    print("# bisearch scaling run: Korean speeches at %s copies; %d run(s) per figure, medians"
          % (", ".join("%dx" % f for f in factors), runs))
    print("| engine | copies | input_MB | index_s | MB/s | RSS_MB | size_MB | size/in | p50_ms | p95_ms | p99_ms |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    report["scale"] = []
    engines = [e for e in engines if e.name != FLOOR]
    for factor in factors:
        docs_path = os.path.join(work, "ko-x%d.jsonl" % factor)
        input_bytes = write_jsonl(docs_path, docs, factor)
        for e in engines:
            log("%dx: %s" % (factor, e.name))
            f = measure_corpus(e, docs_path, input_bytes, queries_path, work, runs if factor < 16 else 1, index_args)
            print("| %s | %dx | %.0f | %.1f | %.2f | %.0f | %.0f | %.2f | %.2f | %.2f | %.2f |"
                  % (e.name, factor, input_bytes / 1e6, f["index_s"], f["mb_per_s"], f["rss_mb"], f["size_mb"],
                     f["size_ratio"], f["p50_ms"], f["p95_ms"], f["p99_ms"]))
            sys.stdout.flush()
            report["scale"].append(dict(f, engine=e.name, copies=factor, input_mb=input_bytes / 1e6))
        os.remove(docs_path)


if __name__ == "__main__":
    main()
