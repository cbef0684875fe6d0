// Loaders (KorQuAD, speech distractors), the bigram-reference tokenizer and
// the retrieval metrics behind bisearch-eval-korquad. See eval_common.h.
#include "eval_common.h"

#include <cctype>
#include <fstream>
#include <sstream>
#include <unordered_set>

#include <nlohmann/json.hpp>

namespace bisearch::eval {
namespace {

/// Decodes the code point starting at text[i] and advances i past it.
/// Malformed bytes decode as U+FFFD and advance by one.
char32_t next_code_point(std::string_view text, std::size_t& i) {
  const auto byte = [&](std::size_t k) { return static_cast<unsigned char>(text[k]); };
  const unsigned char lead = byte(i);
  std::size_t len = 0;
  char32_t cp = 0;
  if (lead < 0x80) {
    ++i;
    return lead;
  } else if ((lead & 0xE0) == 0xC0) {
    len = 2;
    cp = lead & 0x1F;
  } else if ((lead & 0xF0) == 0xE0) {
    len = 3;
    cp = lead & 0x0F;
  } else if ((lead & 0xF8) == 0xF0) {
    len = 4;
    cp = lead & 0x07;
  } else {
    ++i;
    return 0xFFFD;
  }
  if (i + len > text.size()) {
    ++i;
    return 0xFFFD;
  }
  for (std::size_t k = 1; k < len; ++k) {
    if ((byte(i + k) & 0xC0) != 0x80) {
      ++i;
      return 0xFFFD;
    }
    cp = (cp << 6) | (byte(i + k) & 0x3F);
  }
  i += len;
  return cp;
}

bool is_hangul_syllable(char32_t cp) { return cp >= 0xAC00 && cp <= 0xD7A3; }

/// Characters that may open a paragraph glued to the previous sentence end.
bool opens_paragraph(char32_t cp) {
  if (is_hangul_syllable(cp)) return true;
  switch (cp) {
    case U'"': case U'\'': case U'(': case U'[': case U'<':
    case U'\u201C': case U'\u2018': case U'\u300A': case U'\u3008': case U'\u300C':
    case U'\u300E': case U'\u3010':
      return true;
    default:
      return false;
  }
}

std::string trim(std::string_view s) {
  std::size_t begin = 0, end = s.size();
  while (begin < end && (s[begin] == ' ' || s[begin] == '\t')) ++begin;
  while (end > begin && (s[end - 1] == ' ' || s[end - 1] == '\t')) --end;
  return std::string(s.substr(begin, end - begin));
}

/// Splits one speech into paragraphs as documented in the header.
std::vector<std::string> split_speech(std::string_view text) {
  std::vector<std::string> out;
  std::size_t start = 0, i = 0;
  char32_t prev = 0;
  while (i < text.size()) {
    const std::size_t at = i;
    const char32_t cp = next_code_point(text, i);
    if (cp == '\n' || cp == '\r') {
      out.push_back(trim(text.substr(start, at - start)));
      start = i;
    } else if ((prev == '.' || prev == '!' || prev == '?') && opens_paragraph(cp)) {
      out.push_back(trim(text.substr(start, at - start)));
      start = at;
    }
    prev = cp;
  }
  out.push_back(trim(text.substr(start)));
  return out;
}

std::string json_id(const nlohmann::json& value) {
  if (value.is_string()) return value.get<std::string>();
  if (value.is_number_integer()) return std::to_string(value.get<long long>());
  return value.dump();
}

}  // namespace

std::size_t utf8_length(std::string_view text) {
  std::size_t n = 0;
  for (char c : text) n += (static_cast<unsigned char>(c) & 0xC0) != 0x80;
  return n;
}

KorQuad load_korquad(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) throw EvalError(path + ": cannot open");
  nlohmann::json root;
  try {
    root = nlohmann::json::parse(in);
  } catch (const nlohmann::json::exception& e) {
    throw EvalError(path + ": not valid JSON: " + e.what());
  }
  KorQuad out;
  std::unordered_set<std::string> seen_qids;
  try {
    const auto& articles = root.at("data");
    for (std::size_t a = 0; a < articles.size(); ++a) {
      const std::string title = articles[a].value("title", "");
      const auto& paragraphs = articles[a].at("paragraphs");
      for (std::size_t p = 0; p < paragraphs.size(); ++p) {
        const std::size_t index = out.passages.size();
        out.passages.push_back({"kq-" + std::to_string(a) + "-" + std::to_string(p), title,
                                paragraphs[p].at("context").get<std::string>()});
        for (const auto& qa : paragraphs[p].at("qas")) {
          Question q{json_id(qa.at("id")), qa.at("question").get<std::string>(), index};
          if (q.qid.empty() || q.qid.find_first_of(" \t\r\n") != std::string::npos ||
              !seen_qids.insert(q.qid).second) {
            q.qid = "q" + std::to_string(out.questions.size());  // keep ids usable as keys
          }
          out.questions.push_back(std::move(q));
        }
      }
    }
  } catch (const nlohmann::json::exception& e) {
    throw EvalError(path + ": unexpected KorQuAD layout: " + e.what());
  }
  if (out.passages.empty() || out.questions.empty())
    throw EvalError(path + ": no paragraphs or questions found");
  return out;
}

std::vector<Passage> load_speech_distractors(const std::string& path, std::size_t limit,
                                             std::size_t min_chars) {
  std::vector<Passage> out;
  if (limit == 0) return out;
  std::ifstream in(path, std::ios::binary);
  if (!in) throw EvalError(path + ": cannot open");
  std::string line;
  std::size_t line_no = 0;
  while (out.size() < limit && std::getline(in, line)) {
    ++line_no;
    if (line.find_first_not_of(" \t\r") == std::string::npos) continue;
    nlohmann::json speech;
    try {
      speech = nlohmann::json::parse(line);
    } catch (const nlohmann::json::exception& e) {
      throw EvalError(path + ":" + std::to_string(line_no) + ": not valid JSON: " + e.what());
    }
    const auto text = speech.find("speech_text");
    if (text == speech.end() || !text->is_string()) continue;
    const std::string number =
        speech.contains("division_number") ? json_id(speech["division_number"])
                                           : "line" + std::to_string(line_no);
    const std::string title = speech.value("title", "");
    std::size_t k = 0;
    for (std::string& para : split_speech(text->get_ref<const std::string&>())) {
      if (utf8_length(para) < min_chars) continue;
      out.push_back({"speech-" + number + "-" + std::to_string(++k), title, std::move(para)});
      if (out.size() == limit) break;
    }
  }
  return out;
}

std::vector<std::string> bigram_terms(std::string_view text) {
  std::vector<std::string> terms;
  std::string latin;                 // current ASCII letter/digit run, lowercased
  std::size_t prev_begin = 0;        // byte offset of the previous Hangul syllable
  bool prev_hangul = false;
  const auto flush_latin = [&] {
    if (!latin.empty() && latin.size() <= 64) terms.push_back(latin);
    latin.clear();
  };
  std::size_t i = 0;
  while (i < text.size()) {
    const std::size_t at = i;
    const char32_t cp = next_code_point(text, i);
    if (is_hangul_syllable(cp)) {
      flush_latin();
      if (prev_hangul) terms.emplace_back(text.substr(prev_begin, i - prev_begin));
      prev_begin = at;
      prev_hangul = true;
      continue;
    }
    prev_hangul = false;
    if (cp < 0x80 && std::isalnum(static_cast<int>(cp))) {
      latin.push_back(static_cast<char>(std::tolower(static_cast<int>(cp))));
    } else {
      flush_latin();  // whitespace and punctuation both end a run
    }
  }
  flush_latin();
  return terms;
}

void Metrics::add(std::size_t rank, bool error) {
  ++questions;
  if (error) ++errors;
  if (rank >= 1 && rank <= 10) {
    ++at_rank[rank - 1];
    reciprocal_sum += 1.0 / static_cast<double>(rank);
  } else if (rank >= 11 && rank <= 100) {
    ++in_11_100;
  } else {
    ++not_found;
  }
}

double Metrics::mrr10() const { return questions ? reciprocal_sum / questions : 0.0; }

double Metrics::recall_at(std::size_t k) const {
  if (!questions) return 0.0;
  std::size_t hits = 0;
  for (std::size_t r = 0; r < at_rank.size() && r < k; ++r) hits += at_rank[r];
  if (k >= 100) hits += in_11_100;
  return static_cast<double>(hits) / questions;
}

std::size_t rank_of(const std::vector<std::size_t>& ranked, std::size_t answer) {
  for (std::size_t r = 0; r < ranked.size(); ++r)
    if (ranked[r] == answer) return r + 1;
  return 0;
}

}  // namespace bisearch::eval
