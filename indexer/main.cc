// main.cc: bisearch-index, the indexing command: CLI11 -> IndexArgs -> run() -> summary line.
// Glue only: parsing, signals, terminal decisions and printing; the work is in the library.
#include <signal.h>
#include <unistd.h>

#include <CLI/CLI.hpp>
#include <csignal>
#include <iostream>

#include "analysis/schema.h"
#include "indexer/indexer.h"
#include "indexer/options.h"
#include "indexer/progress.h"

namespace {

volatile std::sig_atomic_t g_stop = 0;

extern "C" void request_stop(int) { g_stop = 1; }

void install_signal_handlers() {
  struct sigaction sa {};
  sa.sa_handler = request_stop;
  sigemptyset(&sa.sa_mask);
  sigaction(SIGINT, &sa, nullptr);
  sigaction(SIGTERM, &sa, nullptr);
}

constexpr const char* kFooter = R"(
Input formats:
  .txt, .md   One document per file. An optional metadata header comes first:
              YAML front matter (a "---" line, "key: value" lines, "---") or
              "key: value" lines closed by a "---" line. title, date,
              language and source_url are stored with every passage. A .md
              file without a title takes its first "# heading". The document
              id is the path relative to the directory given on the command
              line (the file name for a file given directly).
  .jsonl      One document per line: {"id": ..., "text": ..., "title": ...,
              "date": ..., "lang": ..., "url": ...}. --id-field and
              --text-field name other fields. Without --text-field, a line
              lacking "text" uses "body", "content" or its only "*_text"
              field. A line without an id gets the id "<path>:<line>".
  .pdf .html .htm .xhtml .docx .hwpx .hwp
              One document per file, its text extracted (PDF pages, HTML
              visible text, DOCX/HWPX/HWP paragraphs and tables); title and
              date from the file's metadata. PDF passages keep their page,
              HWP/HWPX passages their section. Encrypted, password-protected
              and distribution (배포용) HWP documents are reported as not
              indexable.
  Directories are walked recursively in sorted order; there only files with
  the extensions above are taken (hidden entries and symbolic links to
  directories are skipped). The format is then checked by content: a PDF,
  zip (DOCX/HWPX) or OLE (HWP) signature wins over the extension. A file
  named explicitly with another extension is read as text (or as HTML when
  it starts like HTML). Text input must be UTF-8, except that .txt/.md files
  of Korean CP949/EUC-KR text are converted (offsets then count the
  converted UTF-8 bytes); empty, binary and other non-UTF-8 text files, and
  damaged or oversized documents, are reported and skipped;
  a bad JSONL line is reported with its line number and the other lines are
  still indexed.

Passages:
  Documents are split into passages, the units that are searched, ranked and
  shown. A passage is a paragraph: lines separated by blank lines. A line of
  100 or more characters also ends its paragraph (one-paragraph-per-line
  files), while hard-wrapped lines are joined. A paragraph of fewer than 30
  characters (a heading, "Thank you.") joins the next one. A paragraph longer
  than about 2,500 characters of English or 1,400 of Korean (2,500 display
  columns) is cut at sentence ends into pieces of about 600 characters.
  Passage offsets are bytes into the file (into the text field for JSONL).
  Indexing a document again replaces its passages. An index built by
  another analyzer version is rebuilt when the run's paths cover all its
  files, and refused otherwise.

Updates:
  Re-running on the same paths does only what changed. The index keeps a
  manifest of every file (path under its root, size, mtime, content hash,
  status); every file is hashed, and only new and changed files are
  analyzed. Files gone from a directory given in this run lose their
  passages; a renamed file (same content) keeps its passages under the new
  name; a file that failed is not retried until it changes (--retry-failed
  forces it). A second summary line counts files added, changed, removed,
  renamed, unchanged and failed. --dry-run lists the plan and writes
  nothing; "bisearch-index --db idx status" shows the manifest. A run that is
  interrupted or killed leaves an index that opens; the next run finishes.
  (A first build with two writers, the default on two or more cores, is
  written to DIR.building and renamed to DIR when done: killed midway, the
  next run starts it over. Ctrl-C still keeps what was indexed.)
  --rebuild builds the paths into a new database inside DIR (DIR/gen-N) and
  swaps it in atomically (DIR then holds a Xapian stub file, XAPIANDB): a
  search sees the old index or the new one, never a mix.
  Replaced and removed passages are deleted, so scores after updates are
  those of a fresh build. An index of schema 6 or older (which cannot
  delete) is rebuilt by a run whose paths cover all its files.

Examples:
  bisearch-index --db idx corpus/
  bisearch-index --db idx --dry-run corpus/
  bisearch-index --db idx status
  bisearch-index --db idx notes.md report.txt
  bisearch-index --db idx --id-field division_number speeches.jsonl
  bisearch-index --db idx --text-field body --id-field doc_no news.jsonl
  bisearch-index --db shard0 --shard 0/3 corpus/   (and 1/3, 2/3: search them with
                                                    bisearch-query --db shard0 --db shard1 --db shard2)

Output:
  One summary line on stdout. Problems go to stderr as
  "bisearch-index: PATH: reason" (PATH:LINE for JSONL), at most
  --max-errors-per-file per file. A progress line is drawn on stderr only
  when it is a terminal.

Exit status:
  0    nothing failed in this run (files that failed before and did not
       change are not read again: they are summarised on stderr as "N files
       still not indexable", and do not change the status)
  1    some input read in this run failed (a new or changed file, or one
       retried with --retry-failed; see stderr); all others were indexed and
       committed
  2    the job failed: bad arguments, the index cannot be opened, created or
       locked, it was built by another analyzer, or no input path exists
  130  interrupted (SIGINT/SIGTERM): the current document was finished and
       everything indexed so far was committed
)";

}  // namespace

int main(int argc, char** argv) {
  namespace ix = bisearch::indexer;
  ix::IndexArgs args;
  CLI::App app{"bisearch-index: index Korean/English text files into a bisearch passage index (Xapian)."};
  app.footer(kFooter);
  app.get_formatter()->column_width(32);
  app.set_version_flag("--version", "bisearch-index (analyzer " + bisearch::schema::analyzer_id() + ", schema " +
                                        std::to_string(bisearch::schema::kSchemaVersion) + ")");
  app.add_option("--db", args.db, "Index directory; created if missing")->type_name("DIR")->required();
  app.add_option("PATH", args.paths, "Files and directories to index")->type_name("PATH");
  app.add_flag("-n,--dry-run", args.dry_run, "List what would be added, changed, removed or renamed; write nothing");
  app.add_flag("--rebuild", args.rebuild,
               "Build the paths into a new index beside the live one, then swap it in atomically");
  app.add_option("--shard", args.shard,
                 "Build shard I of N of the collection (0 <= I < N): only the documents it owns, chosen by a hash "
                 "of their id (docs/shards.md)")
      ->type_name("I/N");
  app.add_flag("--retry-failed", args.retry_failed, "Index again files that failed before even if unchanged");
  CLI::App* status = app.add_subcommand("status", "Show the manifest's view of the index: files, status, passages, reasons");
  app.add_option("--id-field", args.id_field, "JSONL field holding the document id")
      ->type_name("NAME")
      ->capture_default_str();
  app.add_option("--text-field", args.text_field,
                 "JSONL field holding the text [text, else body, content, *_text]")
      ->type_name("NAME");
  app.add_option("--batch", args.batch, "Passages per commit (whole documents only)")
      ->type_name("N")
      ->capture_default_str();
  app.add_option("--memory-budget", args.memory_budget_mib,
                 "MiB the indexer may use: a batch commits early to stay within it")
      ->type_name("MIB")
      ->capture_default_str();
  app.add_flag("--no-compact", args.no_compact, "Do not compact the index: not after a first build or a rebuild, not when an update has grown it (merge policy)");
  app.add_option("--threads", args.threads,
                 "Writer threads of a first build or a rebuild: 1 or 2 (default: 2 on a machine with two or more "
                 "cores). With 2 a first build is written to DB.building and renamed when done; updates use 1")
      ->check(CLI::Range(1u, 2u));
  app.add_option("--max-errors-per-file", args.max_errors_per_file, "Problems shown per file before a count")
      ->type_name("N")
      ->capture_default_str();
  app.add_option("--glossary", args.glossaries,
                 "Glossary file (TSV or CSV: ko, en, optional note) of term translations for `bisearch-query --terms` "
                 "and --cross; kept in the index and re-read when it changes (repeatable)")
      ->type_name("FILE")
      ->allow_extra_args(false);
  app.add_option("--lexicon", args.lexicon,
                 "Setting KEY=VALUE of the translation lexicon learned from aligned Korean/English text, for "
                 "evaluation runs: min_links, min_share, min_g2, min_dice, max_translations, strong_links, strong_share, strong_dice (docs/crosslang.md)")
      ->type_name("KEY=VALUE")
      ->allow_extra_args(false);
  app.add_flag("-q,--quiet", args.quiet, "Print only problems: no summary, no progress");
  app.add_flag("-v,--verbose", args.verbose, "Also list skipped entries and each file's counts");
  app.add_flag("--no-progress", args.no_progress, "Never draw the progress line");

  try {
    app.parse(argc, argv);
  } catch (const CLI::ParseError& e) {
    if (e.get_exit_code() == 0) return app.exit(e);
    std::cerr << "bisearch-index: " << e.what() << "\n(see bisearch-index --help)\n";
    return 2;
  }

  if (status->parsed()) {
    if (args.db.empty()) {
      std::cerr << "bisearch-index: --db DIR is required\n(see bisearch-index --help)\n";
      return 2;
    }
    try {
      std::cout << ix::format_status(args.db);
      return 0;
    } catch (const ix::FatalError& e) {
      std::cerr << "bisearch-index: " << e.what() << '\n';
      return 2;
    }
  }

  ix::IndexerOptions options;
  try {
    options = ix::to_options(args);
  } catch (const ix::UsageError& e) {
    std::cerr << "bisearch-index: " << e.what() << "\n(see bisearch-index --help)\n";
    return 2;
  }

  install_signal_handlers();
  ix::ProgressLine progress_line(std::cerr);
  const bool show_progress = options.progress && isatty(STDERR_FILENO);
  ix::RunHooks hooks;
  hooks.problem = [&](const ix::Problem& p) {
    progress_line.clear();
    std::cerr << "bisearch-index: " << p.message() << '\n';
  };
  hooks.note = [&](const std::string& note) {
    progress_line.clear();
    std::cerr << "bisearch-index: " << note << '\n';
  };
  if (show_progress) hooks.progress = [&](const ix::ProgressInfo& info) { progress_line.update(info); };
  hooks.stop_requested = [] { return g_stop != 0; };
  hooks.notice = [&](const std::string& what) {
    progress_line.clear();
    std::cerr << "bisearch-index: " << what << '\n';
  };
  if (options.dry_run || options.verbose)
    hooks.action = [&](const std::string& what) {
      progress_line.clear();
      if (options.dry_run)
        std::cout << what << '\n';
      else
        std::cerr << "bisearch-index: " << what << '\n';
    };

  try {
    const ix::IndexSummary summary = ix::run(options, hooks);
    progress_line.clear();
    if (!options.quiet) {
      if (!options.dry_run) std::cout << ix::format_summary(summary, options.db.string()) << '\n';
      if (summary.rebuilt) std::cout << "rebuilt: the new index replaced the old one\n";
      if (const std::string c = ix::format_compaction(summary); !c.empty()) std::cout << c << '\n';
      if ((summary.updated && !summary.rebuilt) || options.dry_run) std::cout << ix::format_changes(summary) << '\n';
      if (const std::string c = ix::format_crosslang(summary); !c.empty()) std::cout << c << '\n';
      if (const std::string f = ix::format_still_failed(summary, options.db.string()); !f.empty())
        std::cerr << "bisearch-index: " << f << '\n';
    }
    return ix::exit_code(summary);
  } catch (const ix::FatalError& e) {
    progress_line.clear();
    std::cerr << "bisearch-index: " << e.what() << '\n';
    return 2;
  } catch (const std::exception& e) {
    progress_line.clear();
    std::cerr << "bisearch-index: " << options.db.string() << ": " << e.what() << '\n';
    return 2;
  }
}
