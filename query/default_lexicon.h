/** @file default_lexicon.h
 *  @brief The translations shipped with bisearch (data/lexicon/), loaded once per process for every index.
 *
 *  Two files, found in the data directory (default_data_dir()):
 *   - default-lexicon.tsv: learned from openly licensed parallel text
 *     (tools/learn-lexicon*): '#' comments, then `ko<TAB>en<TAB>links<TAB>g2`
 *     rows; source "default-lexicon", evidence = links (sentence pairs of the
 *     parallel text in which the two were linked), score = g2;
 *   - policy-glossary.tsv: the policy glossary written by the project:
 *     '#' comments, a header row `ko<TAB>en<TAB>acronym<TAB>note`, then one
 *     row per term (acronym and note may be empty); source
 *     "default-glossary", evidence 1 per row. A row gives ko <-> en, and with
 *     an acronym also ko -> acronym, en -> acronym (kind "acronym") and
 *     acronym -> en, acronym -> ko (kind "expansion" for en). The same file
 *     is a valid user glossary (indexer/glossary.h ignores the acronym column).
 *
 *  Both directions are looked up by analysis::term_key, as the index's own
 *  tables are (analysis/crosslang.h). These translations are kept apart from
 *  the index's own evidence (terms.h): they say what a term usually means,
 *  not that the archive uses it.
 *
 *  A file that is missing or damaged is reported in one warning line naming
 *  it; the good rows of a damaged file are kept, search never fails on it.
 */
#pragma once

#include <filesystem>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include "analysis/crosslang.h"

namespace bisearch::query {

inline constexpr const char* kDefaultLexiconFile = "default-lexicon.tsv";
inline constexpr const char* kDefaultGlossaryFile = "policy-glossary.tsv";
inline constexpr const char* kSourceDefaultLexicon = "default-lexicon";
inline constexpr const char* kSourceDefaultGlossary = "default-glossary";

/// A shipped translation: the stored form plus its kind ("gloss" for a
/// translation into the other language, "acronym", "expansion").
struct DefaultTranslation {
  analysis::StoredTranslation entry;
  std::string kind = "gloss";
  std::string from;  ///< the looked-up term as the file writes it (its case)
};

struct DefaultData {
  /// term_key -> translations, best first (glossary rows in file order,
  /// lexicon rows by descending links).
  std::map<std::string, std::vector<DefaultTranslation>, std::less<>> lexicon, glossary;
  size_t lexicon_rows = 0, glossary_rows = 0;
  std::vector<std::string> warnings;  ///< one line per missing or damaged file

  const std::vector<DefaultTranslation>* find_lexicon(std::string_view key) const;
  const std::vector<DefaultTranslation>* find_glossary(std::string_view key) const;
};

/// The data directory: $BISEARCH_DATA_DIR when set, else the installed
/// share/bisearch/lexicon when it exists, else the source tree's data/lexicon.
std::filesystem::path default_data_dir();

/// Reads both files from @p dir. Never throws; problems go to warnings.
DefaultData load_default_data(const std::filesystem::path& dir);

/// Parses the two files' contents (@p name_* name them in warnings); for tests.
void parse_default_lexicon(std::string_view bytes, const std::string& name, DefaultData& out);
void parse_policy_glossary(std::string_view bytes, const std::string& name, DefaultData& out);

/// The process's data, loaded from default_data_dir() at first use; its
/// warnings are written to stderr then, once ("bisearch: warning: ...").
const DefaultData& default_data();

}  // namespace bisearch::query
