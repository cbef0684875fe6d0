/** @file crosslang.h
 *  @brief The indexer's cross-language pass: passage alignment, counterparts and the learned lexicon.
 *
 *  Runs at the end of an indexing run, in the run's last transaction, over
 *  the documents the run added, changed, renamed or removed (the
 *  bisearch.pending.* keys the writer leaves; a run killed before this pass
 *  leaves them for the next one, so nothing is lost).
 *
 *  Aligned groups (align.h aligns their Korean and English passages):
 *   - a document holding passages in both languages (the sample corpus:
 *     a Korean abstract and its English translation);
 *   - a document pair whose ids differ only in a language tag, a path
 *     component or a name part `ko`, `kor`, `kr`, `ko-KR` against `en`,
 *     `eng`, `en-US`, `en-GB`, `eng-US` (either case), separated by '.', '_',
 *     '-' or '/': report.ko.txt + report.en.txt, ko/a.md + en/a.md,
 *     news.kor.txt + news.eng-US.txt, JSONL ids 17.ko + 17.en.
 *  Every passage of a group gets its counterparts (bisearch.cp.<doc_id>).
 *
 *  Then, when any group changed, the translation lexicon (lexicon.h) is
 *  learned again from the aligned sentence pairs of all groups and replaces
 *  the bisearch.lex.* keys. (It is learned from scratch: a few seconds per
 *  100,000 sentence pairs.)
 */
#pragma once

#include <functional>
#include <string>

#include "indexer/lexicon.h"
#include "indexer/write.h"

namespace bisearch::indexer {

struct CrosslangSummary {
  size_t pending = 0;        ///< documents looked at
  size_t groups = 0;         ///< aligned groups in the index after the pass
  size_t groups_changed = 0; ///< groups aligned again (or dropped)
  size_t pairs = 0;          ///< sentence pairs the lexicon was learned from
  size_t translations = 0;   ///< (ko, en) translations kept
  bool relearned = false;    ///< the lexicon was learned again
};

/// Runs the pass on @p writer's index. @p say reports long steps (may be
/// empty). Throws FatalError on a database error.
CrosslangSummary update_crosslang(IndexWriter& writer, const LexiconOptions& options,
                                  const std::function<void(const std::string&)>& say);

}  // namespace bisearch::indexer
